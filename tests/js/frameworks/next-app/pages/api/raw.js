// The fix for API routes: Next.js leaves the body to the listener.
import { toNodeListener } from "larkhook";
import { handler } from "../../lark.mjs";

export const config = { api: { bodyParser: false } };

export default toNodeListener(handler("raw"));
