// The pitfall in a Pages Router API route: Next.js parses the JSON body first.
import { toNodeListener } from "larkhook";
import { handler } from "../../lark.mjs";

export default toNodeListener(handler("parsed"));
