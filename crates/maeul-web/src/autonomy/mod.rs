//! 주민자치 — resident autonomy: the council, its member lottery, the agenda, the resident
//! general assembly and the autonomy plan.

pub mod agenda;
pub mod assembly;
pub mod council;
pub mod lottery;
pub mod plan;

pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    let r = assembly::routes(r);
    plan::routes(agenda::routes(lottery::routes(council::routes(r))))
}
