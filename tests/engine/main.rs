//! Integration tests that run the real `leadmatch` binary on real files, one module per area.

mod catalog;
mod judgement;
mod quality;
mod score;
mod search;
mod util;
