//! The second stage: from verified JSON text to an event. `wire` reads the
//! top-level object in one pass (`text`: its strings; `expect`: every read
//! by the kind of value expected, refusing others in the core's words), `envelope` interprets
//! it (challenge, schema 2.0 or 1.0, the token), `typed` decodes a typed
//! event into the normalized JSON of its model (`number`: number text read
//! without converting it), and `rust_view` gives the Rust structs of
//! [`Webhook::parse`](crate::Webhook::parse).
//!
//! For tools, off the request path: `unknown` lists the fields a model does
//! not know, `json_path` says where in JSON text an error lies, `ordered`
//! keeps an object's members in order.

pub(crate) mod envelope;
pub(crate) mod expect;
pub(crate) mod json_path;
pub(crate) mod number;
pub(crate) mod ordered;
pub(crate) mod rust_view;
pub(crate) mod text;
pub(crate) mod typed;
pub(crate) mod unknown;
pub(crate) mod wire;
