//! 주민자치 — resident autonomy: the council, its member lottery, the agenda, the resident
//! general assembly, the autonomy plan and the projects that carry it out.

pub mod agenda;
pub mod assembly;
pub mod certificate;
pub mod corporation;
pub mod council;
pub mod lottery;
pub mod plan;
pub mod project;

pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    let r = assembly::routes(r);
    let r = plan::routes(agenda::routes(lottery::routes(council::routes(r))));
    corporation::routes(certificate::routes(project::routes(r)))
}
