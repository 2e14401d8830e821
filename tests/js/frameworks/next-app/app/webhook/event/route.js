// The Fetch handler as the route's POST, as the README shows.
import { handler } from "../../../lark.mjs";

export const POST = handler("app");
