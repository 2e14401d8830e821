//! The documentation's three examples, every field, and each way real
//! payloads differ from the documentation (NOTES.md).

mod common;

// The same suite runs natively and, under wasm-bindgen-test, inside WebAssembly
// (Node and headless Chromium): `make test-wasm`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::*;

fn parse_event(event_json: &str) -> Event {
    let d = delivery(event_json);
    match hook().parse(&d.headers, d.body.as_bytes(), NOW).unwrap() {
        Inbound::Event(e) => e,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn doc_header(event_type: &str) -> EventHeader {
    EventHeader {
        event_id: "5e3702a84e847582be8db7fb73283c02".into(),
        event_type: event_type.into(),
        create_time: Some(1_608_725_989_000),
        app_id: Some("cli_9f5343c580712544".into()),
        tenant_key: Some("2ca1d211f64f6438".into()),
    }
}

fn doc_guest(name: &str) -> TicketUserEvent {
    TicketUserEvent {
        id: Some(UserId {
            union_id: Some("on_8ed6aa67826108097d9ee143816345".into()),
            user_id: Some("e33ggbyz".into()),
            open_id: Some("ou_84aad35d084aa403a838cf73ee18467".into()),
        }),
        name: Some(name.into()),
        avatar_url: None,
        email: None,
    }
}

fn doc_custom_field() -> CustomizedField {
    CustomizedField {
        id: Some("123".into()),
        value: Some("value".into()),
        key_name: Some("key".into()),
        display_name: Some("display name".into()),
        position: Some(1),
        required: Some(true),
        editable: Some(true),
    }
}

fn doc_ticket_event(guest_name: &str) -> TicketEvent {
    TicketEvent {
        ticket_id: Some("6626871355780366331".into()),
        helpdesk_id: Some("6626871355780366330".into()),
        guest: Some(doc_guest(guest_name)),
        stage: Some(Stage::Bot),
        status: Some(Status::Created),
        score: Some(Score::Unsatisfied),
        created_at: Some(1_616_920_429_000),
        updated_at: Some(1_616_920_429_000),
        closed_at: Some(1_616_920_429_000),
        channel: Some(Channel::Other(0)),
        solve: Some(Solve::Unsolved),
        customized_fields: Some(vec![doc_custom_field()]),
        chat_id: Some("oc_xxxxxxx".into()),
        agents: None,
        closed_by: None,
        collaborators: None,
    }
}

#[test]
fn ticket_created_documentation_example_every_field() {
    let event = parse_event(CREATED);
    assert_eq!(event.schema, Schema::V2);
    assert_eq!(event.header, doc_header(TICKET_CREATED_V1));
    assert_eq!(
        event.payload,
        Payload::TicketCreated(Box::new(doc_ticket_event("-")))
    );
    assert!(event.unrecognized_fields().is_empty());
    // The token was checked and is not exposed in the header.
    assert!(!format!("{:?}", event.header).contains(TOKEN));
}

#[test]
fn ticket_updated_documentation_example_every_field() {
    let event = parse_event(UPDATED);
    assert_eq!(event.header, doc_header(TICKET_UPDATED_V1));
    let expected = TicketUpdatedV1 {
        object: Some(doc_ticket_event("abc")),
        old_object: Some(TicketEventUpdateInfo {
            stage: Some(Stage::Bot),
            status: Some(Status::ClosedByBot),
            updated_at: Some(1_616_920_429_000),
        }),
    };
    assert_eq!(event.payload, Payload::TicketUpdated(Box::new(expected)));
}

#[test]
fn ticket_message_documentation_example_every_field() {
    let event = parse_event(MESSAGE);
    assert_eq!(event.header, doc_header(TICKET_MESSAGE_CREATED_V1));
    let owner = TicketUser {
        id: Some("ou_37019b7c830210acd88fdce886e25c71".into()),
        avatar_url: Some("https://xxxx".into()),
        name: Some("abc".into()),
        email: Some("xxxx@abc.com".into()),
        department: Some("用户部门名称(有权限才展示)".into()),
        city: Some("城市".into()),
        country: Some("国家".into()),
    };
    let expected = TicketMessageCreatedV1 {
        ticket_message_id: Some("6949088240624222236".into()),
        message_id: Some("om_8baa3656c7b41900d29bf9104bf5310b".into()),
        msg_type: Some("text".into()),
        position: Some("10".into()),
        sender_id: Some(UserId {
            union_id: Some("on_8ed6aa67826108097d9ee143816345".into()),
            user_id: Some("e33ggbyz".into()),
            open_id: Some("ou_84aad35d084aa403a838cf73ee18467".into()),
        }),
        sender_type: Some(SenderType::Bot),
        text: Some("请问vpn怎么下载".into()),
        ticket: Some(Ticket {
            ticket_id: Some("6626871355780366331".into()),
            comments: Some(vec![Comment {
                content: Some("备注内容".into()),
                created_at: Some(1_690_970_837_624),
                id: Some("7262656095919128579".into()),
                user_avatar_url: Some("备注人头像".into()),
                user_name: Some("备注人姓名".into()),
                user_id: Some("7262656095919128578".into()),
            }]),
            ticket_type: Some(Stage::Bot),
            status: Some(Status::ClosedByBot),
            dissatisfaction_reason: Some(vec![I18n {
                zh_cn: Some("答案看不懂".into()),
                en_us: Some("I don't understand".into()),
                ja_jp: Some("回答が複雑すぎる".into()),
            }]),
            customized_fields: Some(vec![doc_custom_field()]),
            agent_service_duration: Some(42624.95),
            agent_first_response_duration: Some(123_869.0),
            bot_service_duration: Some(1.0),
            agent_resolution_time: Some(66.0),
            actual_processing_time: Some(68.0),
            agent_entry_time: Some(1_636_444_596_000),
            agent_first_response_time: Some(1_636_444_696_000),
            agent_last_response_time: Some(1_636_444_796_000),
            agent_owner: Some(owner),
            ..Ticket::default()
        }),
        event_id: Some("118a6492-122d-04ad-4370-010a3bb384d3".into()),
        chat_id: Some("6949088236610273307".into()),
        content: Some(TicketMessageContent {
            content: Some("请问vpn怎么下载".into()),
            msg_type: Some("text".into()),
            image_keys: Some(vec!["xxx".into(), "yyy".into()]),
            image_key: Some("xxx".into()),
        }),
    };
    assert_eq!(
        event.payload,
        Payload::TicketMessageCreated(Box::new(expected))
    );
}

fn message_with(ticket_fields: &str, event_fields: &str) -> String {
    format!(
        r#"{{"schema":"2.0","header":{{"event_id":"h-1","event_type":"helpdesk.ticket_message.created_v1"}},
           "event":{{"event_id":"inner-1","ticket":{{"ticket_id":"1"{ticket_fields}}}{event_fields}}}}}"#
    )
}

fn message_ticket(event_json: &str) -> Ticket {
    match parse_event(event_json).payload {
        Payload::TicketMessageCreated(m) => m.ticket.unwrap(),
        other => panic!("expected a typed message, got {other:?}"),
    }
}

#[test]
fn divergence_comments_as_an_array() {
    let ticket = message_ticket(&message_with(
        r#","comments":[{"id":1,"content":"a"},{"id":"2","content":"b"}]"#,
        "",
    ));
    let comments = ticket.comments.unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].id.as_deref(), Some("1"));
    assert_eq!(comments[1].content.as_deref(), Some("b"));
}

#[test]
fn divergence_position_as_a_number() {
    match parse_event(&message_with("", r#","position":222"#)).payload {
        Payload::TicketMessageCreated(m) => assert_eq!(m.position.as_deref(), Some("222")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn divergence_dissatisfaction_reason_as_an_array() {
    let ticket = message_ticket(&message_with(
        r#","dissatisfaction_reason":[{"zh_cn":"慢","en_us":"slow"},{"en_us":"rude"}]"#,
        "",
    ));
    let reasons = ticket.dissatisfaction_reason.unwrap();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0].zh_cn.as_deref(), Some("慢"));
    assert_eq!(reasons[1].en_us.as_deref(), Some("rude"));
}

#[test]
fn divergence_millisecond_timestamps_beyond_32_bits() {
    // 4102444800000 = 2100-01-01, far beyond i32 and u32.
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},
        "event":{"created_at":4102444800000,"closed_at":"4102444800001"}}"#;
    match parse_event(event).payload {
        Payload::TicketCreated(t) => {
            assert_eq!(t.created_at, Some(4_102_444_800_000));
            assert_eq!(t.closed_at, Some(4_102_444_800_001));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn divergence_ids_above_2_pow_53_are_exact() {
    // 2^53 + 1 and the largest u64: both lose digits through f64.
    let ticket = message_ticket(&message_with(
        r#","comments":{"id":9007199254740993,"user_id":18446744073709551615}"#,
        "",
    ));
    let comment = &ticket.comments.unwrap()[0];
    assert_eq!(comment.id.as_deref(), Some("9007199254740993"));
    assert_eq!(comment.user_id.as_deref(), Some("18446744073709551615"));
}

#[test]
fn divergence_updated_at_minus_one_means_none() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.updated_v1"},
        "event":{"object":{"ticket_id":"1","updated_at":-1},"old_object":{"updated_at":-1,"status":2}}}"#;
    match parse_event(event).payload {
        Payload::TicketUpdated(u) => {
            assert_eq!(u.object.unwrap().updated_at, None);
            let old = u.old_object.unwrap();
            assert_eq!(old.updated_at, None);
            assert_eq!(old.status, Some(Status::Processing));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn divergence_the_documentation_message_example_is_not_json() {
    // The published example, placeholders and all, as an unencrypted body
    // (copied verbatim from the event page).
    let published = include_str!("fixtures/ticket_message_created_v1.published.txt");
    assert!(published.contains("备注时间"));
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let no_headers: [(&str, &str); 0] = [];
    let err = hook
        .parse(&no_headers, published.as_bytes(), NOW)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_json");
    assert_eq!(err.http_status(), 400);
    assert!(err.to_string().contains("line 27 column 31"), "{err}");
}

#[test]
fn inner_event_id_is_kept_apart_from_the_header_event_id() {
    let event = parse_event(MESSAGE);
    assert_eq!(event.header.event_id, "5e3702a84e847582be8db7fb73283c02");
    match event.payload {
        Payload::TicketMessageCreated(m) => {
            assert_eq!(
                m.event_id.as_deref(),
                Some("118a6492-122d-04ad-4370-010a3bb384d3")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn integer_fields_accept_numeric_strings() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1","create_time":1608725989000},
        "event":{"ticket_id":6626871355780366331,"stage":"2","status":"51","score":"3","channel":"9","solve":"2",
                 "customized_fields":[{"position":"4"}]}}"#;
    let e = parse_event(event);
    assert_eq!(e.header.create_time, Some(1_608_725_989_000));
    match e.payload {
        Payload::TicketCreated(t) => {
            assert_eq!(t.ticket_id.as_deref(), Some("6626871355780366331"));
            assert_eq!(t.stage, Some(Stage::Human));
            assert_eq!(t.status, Some(Status::ClosedByAgent));
            assert_eq!(t.score, Some(Score::Satisfied));
            assert_eq!(t.channel, Some(Channel::OpenApi));
            assert_eq!(t.solve, Some(Solve::Solved));
            assert_eq!(t.customized_fields.unwrap()[0].position, Some(4));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_codes_and_missing_or_null_fields() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},
        "event":{"status":77,"stage":null,"guest":{}}}"#;
    match parse_event(event).payload {
        Payload::TicketCreated(t) => {
            assert_eq!(t.status, Some(Status::Unknown(77)));
            assert_eq!(t.status.unwrap().label_en(), "unknown status");
            assert_eq!(t.stage, None);
            assert_eq!(t.ticket_id, None);
            assert_eq!(t.guest, Some(TicketUserEvent::default()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_event_types_pass_through_untyped() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e9","event_type":"im.message.receive_v1","app_id":"cli_x"},
        "event":{"message":{"message_id":"om_1","big":123456789012345678901234567890}}}"#;
    let e = parse_event(event);
    assert_eq!(e.event_type(), "im.message.receive_v1");
    assert!(!e.is_typed());
    match &e.payload {
        Payload::Untyped {
            event,
            decode_error,
        } => {
            assert_eq!(
                event.get(),
                r#"{"message":{"message_id":"om_1","big":123456789012345678901234567890}}"#
            );
            assert_eq!(decode_error, &None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_known_type_that_does_not_decode_comes_back_untyped_with_the_path() {
    let event = message_with(r#","comments":[{"id":1},{"id":{"nested":true}}]"#, "");
    let e = parse_event(&event);
    assert_eq!(e.event_type(), TICKET_MESSAGE_CREATED_V1);
    match &e.payload {
        Payload::Untyped {
            event,
            decode_error: Some(err),
        } => {
            assert_eq!(err.path, "ticket.comments[1].id");
            assert!(
                err.message.contains("a string, or an integer"),
                "{}",
                err.message
            );
            assert!(event.get().contains("nested"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.raw.contains("nested"));
}

#[test]
fn schema_1_envelope() {
    let event = format!(
        r#"{{"uuid":"41b5f371157e3d5341b38b20396e77a3","token":"{TOKEN}","ts":"1550038209.428520",
            "type":"event_callback","event":{{"type":"approval_instance","app_id":"cli_1","tenant_key":"t1","instance_code":"X"}}}}"#
    );
    let d = larkhook::DeliveryBuilder::new(&event)
        .encrypt(KEY, [5; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    let Inbound::Event(e) = hook().parse(&d.headers, d.body.as_bytes(), NOW).unwrap() else {
        panic!()
    };
    assert_eq!(e.schema, Schema::V1);
    assert_eq!(
        e.header,
        EventHeader {
            event_id: "41b5f371157e3d5341b38b20396e77a3".into(),
            event_type: "approval_instance".into(),
            create_time: Some(1_550_038_209_429),
            app_id: Some("cli_1".into()),
            tenant_key: Some("t1".into()),
        }
    );
    assert!(!e.is_typed());
}

#[test]
fn unrecognized_fields_are_listed_with_their_paths() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.updated_v1"},
        "event":{"object":{"ticket_id":"1","priority":3,"guest":{"id":{"open_id":"ou","extra":1}}},"new_thing":[]}}"#;
    let e = parse_event(event);
    let mut fields = e.unrecognized_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["new_thing", "object.guest.id.extra", "object.priority"]
    );
}

#[test]
fn plain_bodies_parse_when_no_key_is_configured() {
    let hook = Webhook::builder()
        .verification_token(TOKEN)
        .build()
        .unwrap();
    let no_headers: [(&str, &str); 0] = [];
    let Inbound::Event(e) = hook.parse(&no_headers, CREATED.as_bytes(), NOW).unwrap() else {
        panic!()
    };
    assert_eq!(e.raw, CREATED);
    assert!(e.is_typed());
}

#[test]
fn labels_in_english_and_chinese() {
    assert_eq!(Status::ClosedByBot.label_en(), "closed by bot");
    assert_eq!(Status::ClosedByBot.label_zh(), "被机器人关闭");
    assert_eq!(SenderType::Agent.label_zh(), "客服");
    assert_eq!(Channel::Other(0).label_en(), "other channel");
    assert_eq!(Channel::QrCode.label_zh(), "二维码");
    assert_eq!(Score::Neutral.label_zh(), "一般");
    assert_eq!(Solve::Solved.label_en(), "solved");
    assert_eq!(Stage::Human.label_zh(), "人工");
}

#[test]
fn an_unreadable_create_time_is_dropped_not_fatal() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1","create_time":"soon"},"event":{"ticket_id":"1"}}"#;
    let e = parse_event(event);
    assert_eq!(e.header.create_time, None);
    assert!(e.is_typed());
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1","create_time":1608725989000},"event":{}}"#;
    assert_eq!(
        parse_event(event).header.create_time,
        Some(1_608_725_989_000)
    );
}
