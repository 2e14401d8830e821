//! Beside the request path: [`Webhook::inspect`](crate::Webhook::inspect)
//! runs the one pipeline with a recorder as its observer (`crate::observe`)
//! and reports each step, for the payload inspector and `larkhook inspect`.

pub(crate) mod inspect;
