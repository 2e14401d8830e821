//! The card callbacks, declared once (see `model!` in the parent module):
//! `card.action.trigger` (schema 2.0, signed and encrypted like an event)
//! and the legacy message-card callback (a plain body signed with SHA-1
//! over the Verification Token). Both carry the same `action`.
//!
//! The platform's page: "卡片回传交互" (open.feishu.cn/document/feishu-cards/card-callback-communication).
//! Its field descriptions are not reproduced here (`zh` is left empty).

model! {
    /// The person who clicked or submitted (`operator`).
    #[page_type = "operator"]
    pub struct CallbackOperator {
        /// The user's open id (`ou_...`).
        open_id: Text,
        /// The user's user id; sent only with the `contact:user.employee_id:readonly` scope.
        user_id: Text,
        /// The user's union id (`on_...`).
        union_id: Text,
        /// The tenant the user belongs to.
        tenant_key: Text,
    }
}

model! {
    /// What the user did on the card (`action`): the component's `tag`, the
    /// `value` the card declared for it, and what the component collected.
    #[page_type = "action"]
    pub struct CallbackAction {
        /// The `value` the card declared on the component, as sent: an
        /// object or a string (numbers JavaScript cannot hold exactly arrive
        /// as strings of their digits).
        value: Json(ObjectOrString),
        /// The component: `button`, `select_static`, `input`, `checker`, `date_picker`, ...
        tag: Text,
        /// The component's `name` (form components, and buttons that set one).
        name: Text,
        /// A submitted form's values by component name, as sent.
        form_value: Json(Object),
        /// The text of an input component.
        input_value: Text,
        /// The chosen option of a single-choice component (a select menu, a date picker's date).
        option: Text,
        /// The chosen options of a multi-select component.
        options: Strings,
        /// Whether a checker component is now checked.
        checked: Bool,
        /// The user's time zone (date and time pickers).
        timezone: Text,
    }
}

model! {
    /// Where the card is (`context`).
    #[page_type = "context"]
    pub struct CallbackContext {
        /// The message holding the card (`om_...`).
        open_message_id: Text,
        /// The chat the message is in (`oc_...`).
        open_chat_id: Text,
        /// The link a URL-preview card was unfurled from.
        url: Text,
        /// The token of a URL preview.
        preview_token: Text,
    }
}

model! {
    /// The event body of `card.action.trigger`: someone clicked a button or
    /// submitted a form on a card the app sent. Answer within 3 seconds with
    /// the toast and card to show (`{}` changes nothing); update the card
    /// later with `token`.
    #[page_type = "card.action.trigger"]
    pub struct CardActionTrigger {
        /// Who acted.
        #[group = "Operator"]
        operator: Object(CallbackOperator),
        /// The card's update token (`c-...`): valid for 30 minutes, for at
        /// most 2 updates through the delayed-update API. Not the
        /// Verification Token.
        token: Text,
        /// What the user did.
        #[group = "Action"]
        action: Object(CallbackAction),
        /// Where the card is shown: `im_message`, `im_top_notice`, ...
        host: Text,
        /// How the card was delivered, e.g. `url_preview` (modelled by the official SDKs).
        #[on_page = false]
        delivery_type: Text,
        /// The message and chat of the card.
        #[group = "Context"]
        context: Object(CallbackContext),
    }
}

model! {
    /// The legacy message-card callback (`kind: "card_action"`): the card's
    /// "request URL" of the older scheme, a plain JSON body signed with
    /// `SHA-1(timestamp || nonce || Verification Token || body)`. Answer
    /// like `card.action.trigger`.
    #[page_type = "card_action"]
    pub struct CardAction {
        /// The user's open id (`ou_...`).
        open_id: Text,
        /// The user's user id; sent only with the `contact:user.employee_id:readonly` scope.
        user_id: Text,
        /// The message holding the card (`om_...`).
        open_message_id: Text,
        /// The chat the message is in (`oc_...`).
        open_chat_id: Text,
        /// The tenant the user belongs to.
        tenant_key: Text,
        /// The card's update token (`c-...`): not the Verification Token,
        /// which signs the request and is never in the body.
        token: Text,
        /// What the user did.
        #[group = "Action"]
        action: Object(CallbackAction),
    }
}
