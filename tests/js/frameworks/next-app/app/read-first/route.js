// The pitfall in a route handler: the body is read before the handler sees it.
import { handler } from "../../lark.mjs";

const webhook = handler("read-first");

export async function POST(request) {
  console.log(`larkhook-test logged ${(await request.text()).length} bytes`);
  return webhook(request);
}
