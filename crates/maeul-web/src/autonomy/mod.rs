//! 주민자치 — resident autonomy: the resident general assembly.

pub mod assembly;

pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    assembly::routes(r)
}
