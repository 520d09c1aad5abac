//! 주민자치 — resident autonomy: the council, its member lottery, the agenda and the resident
//! general assembly.

pub mod agenda;
pub mod assembly;
pub mod council;
pub mod lottery;

pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    agenda::routes(lottery::routes(council::routes(assembly::routes(r))))
}
