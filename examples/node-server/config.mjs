// Settings shared by the server and the sample sender: the environment when
// set, printed demo defaults otherwise. Set a variable to the empty string to
// go without it (an app with no Encrypt Key sends plain JSON).
export const encryptKey = process.env.LARK_ENCRYPT_KEY ?? "demo-encrypt-key";
export const verificationToken = process.env.LARK_VERIFICATION_TOKEN ?? "demo-verification-token";
export const host = process.env.HOST || "127.0.0.1";
export const port = Number(process.env.PORT ?? 8787);
export const usingDefaults = process.env.LARK_ENCRYPT_KEY === undefined || process.env.LARK_VERIFICATION_TOKEN === undefined;
