//! A lead: the company profile staff bring (name, business scope, industry, size …) and the
//! result they get back.

mod profile;
mod result;

pub use profile::Profile;
pub use result::LeadResult;
