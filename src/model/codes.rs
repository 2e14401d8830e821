//! The enumerated fields (stage, status, score, solve, channel, sender type).
//!
//! Each is a Rust enum with a catch-all variant that keeps an unknown code,
//! because the platform adds codes without notice. On the wire, and in the
//! JSON handed to JavaScript, they stay the platform's numbers, so payloads
//! read like the documentation. Labels come in English and Chinese.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::schema::{CodeLabel, CodeSpec};

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $en:literal, $zh:literal; )*
        }
        $(#[$ometa:meta])*
        $other:ident: $other_en:literal, $other_zh:literal
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            $(#[$ometa])*
            $other(i64),
        }

        impl $name {
            /// Every documented code with its labels, in documentation order.
            pub const TABLE: &'static [CodeLabel] = &[
                $( CodeLabel { code: $code, en: $en, zh: $zh, name: stringify!($variant) }, )*
            ];

            /// The JSON field this enumeration appears in (for documentation and codegen).
            pub const FIELD: &'static str = $field;

            /// The enumeration as data, for the schema registry and code generation.
            pub const SPEC: CodeSpec = CodeSpec {
                name: stringify!($name),
                table: Self::TABLE,
                other_en: $other_en,
                other_zh: $other_zh,
            };

            /// The variant for a platform code; unknown codes are kept.
            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $code => $name::$variant, )*
                    other => $name::$other(other),
                }
            }

            /// The platform's numeric code.
            pub fn code(self) -> i64 {
                match self {
                    $( $name::$variant => $code, )*
                    $name::$other(code) => code,
                }
            }

            /// The English label; unknown codes get a generic one.
            pub fn label_en(self) -> &'static str {
                match self {
                    $( $name::$variant => $en, )*
                    $name::$other(_) => $other_en,
                }
            }

            /// The Chinese label; unknown codes get a generic one.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $( $name::$variant => $zh, )*
                    $name::$other(_) => $other_zh,
                }
            }
        }

        impl core::fmt::Display for $name {
            /// The English label followed by the code, e.g. "closed by bot (50)".
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{} ({})", self.label_en(), self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// From the platform's number (the normalized form; see `crate::decode::typed`).
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                i64::deserialize(d).map($name::from_code)
            }
        }
    };
}

code_enum! {
    /// Ticket stage (`stage`, and `ticket_type` in message events): 1 bot, 2 human.
    Stage, field = "stage" {
        /// The bot is answering.
        Bot = 1, "bot", "机器人";
        /// A human agent took over.
        Human = 2, "human", "人工";
    }
    /// A code the documentation does not list.
    Unknown: "unknown stage", "未知阶段"
}

code_enum! {
    /// Ticket status (`status`).
    Status, field = "status" {
        /// 1: created.
        Created = 1, "created", "已创建";
        /// 2: being processed.
        Processing = 2, "processing", "处理中";
        /// 3: queued for an agent.
        Queued = 3, "queued", "排队中";
        /// 4: pending.
        Pending = 4, "pending", "待定";
        /// 5: waiting for the user to answer.
        WaitingForUser = 5, "waiting for the user", "待用户响应";
        /// 50: closed by the bot.
        ClosedByBot = 50, "closed by bot", "被机器人关闭";
        /// 51: closed by an agent.
        ClosedByAgent = 51, "closed by agent", "被客服关闭";
        /// 52: closed by the user.
        ClosedByUser = 52, "closed by the user", "用户自己关闭";
    }
    /// A code the documentation does not list.
    Unknown: "unknown status", "未知状态"
}

code_enum! {
    /// Satisfaction score (`score`).
    Score, field = "score" {
        /// 1: unsatisfied.
        Unsatisfied = 1, "unsatisfied", "不满意";
        /// 2: neutral.
        Neutral = 2, "neutral", "一般";
        /// 3: satisfied.
        Satisfied = 3, "satisfied", "满意";
    }
    /// A code the documentation does not list (0 is seen when unscored).
    Unknown: "unknown score", "未知评分"
}

code_enum! {
    /// Whether the ticket was solved (`solve`).
    Solve, field = "solve" {
        /// 1: not solved.
        Unsolved = 1, "unsolved", "没解决";
        /// 2: solved.
        Solved = 2, "solved", "已解决";
    }
    /// A code the documentation does not list.
    Unknown: "unknown", "未知"
}

code_enum! {
    /// Where the ticket came from (`channel`); the documentation calls every
    /// unlisted number "other".
    Channel, field = "channel" {
        /// 9: created through the Open API.
        OpenApi = 9, "Open API", "Open API";
        /// 2: a QR code.
        QrCode = 2, "QR code", "二维码";
        /// 14: a share.
        Share = 14, "share", "分享";
        /// 13: search.
        Search = 13, "search", "搜索";
    }
    /// Any other channel.
    Other: "other channel", "其他渠道"
}

code_enum! {
    /// Who sent a ticket message (`sender_type`).
    SenderType, field = "sender_type" {
        /// 1: the bot.
        Bot = 1, "bot", "机器人";
        /// 2: the user who opened the ticket.
        Guest = 2, "guest", "用户";
        /// 3: an agent.
        Agent = 3, "agent", "客服";
    }
    /// A code the documentation does not list.
    Unknown: "unknown sender", "未知发送者"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_survive() {
        assert_eq!(Status::from_code(50), Status::ClosedByBot);
        assert_eq!(Status::ClosedByBot.label_en(), "closed by bot");
        assert_eq!(Status::ClosedByBot.label_zh(), "被机器人关闭");
        assert_eq!(Status::ClosedByBot.to_string(), "closed by bot (50)");
        assert_eq!(Status::from_code(77), Status::Unknown(77));
        assert_eq!(Status::from_code(77).code(), 77);
        assert_eq!(Channel::from_code(0), Channel::Other(0));
        for entry in Status::TABLE {
            assert_eq!(Status::from_code(entry.code).code(), entry.code);
            assert_eq!(Status::from_code(entry.code).label_en(), entry.en);
        }
    }

    #[test]
    fn serialized_as_the_platform_number() {
        assert_eq!(serde_json::to_string(&Status::ClosedByAgent).unwrap(), "51");
        assert_eq!(serde_json::to_string(&Stage::Unknown(9)).unwrap(), "9");
        let s: Status = serde_json::from_str("52").unwrap();
        assert_eq!(s, Status::ClosedByUser);
    }
}
