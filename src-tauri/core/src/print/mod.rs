//! Printed documents (printpdf, A4, Chinese or English, fonts embedded and
//! subset) and their digital seal.

pub mod ceremony;
pub mod forms;
pub mod layout;
pub mod minutes;
pub mod page_seal;
pub mod publicity;
pub mod results;
pub mod seal;
pub mod signature;
