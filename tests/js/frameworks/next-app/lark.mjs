// One handler configuration for every route of the fixture app. The `on`
// handler and `onError` print a marked line that the test reads from stdout.
// Created on the first request, as the README shows: `next build` imports
// every route with no secrets in the environment.
import { createHandler } from "larkhook";

export function handler(route) {
  return createHandler(() => ({
    encryptKey: process.env.LARK_ENCRYPT_KEY,
    verificationToken: process.env.LARK_VERIFICATION_TOKEN,
    on: {
      "*": (inbound) => {
        const seen = { route, kind: inbound.kind, event_type: inbound.event_type, event_id: inbound.header.event_id, ticket_id: inbound.event?.ticket_id };
        console.log(`larkhook-test seen ${JSON.stringify(seen)}`);
      },
    },
    onError: (error) => console.log(`larkhook-test error ${JSON.stringify({ route, code: error?.code ?? String(error) })}`),
  }));
}
