//! 주민자치 — resident autonomy: the council, its member lottery and the resident general
//! assembly.

pub mod assembly;
pub mod council;
pub mod lottery;

pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    lottery::routes(council::routes(assembly::routes(r)))
}
