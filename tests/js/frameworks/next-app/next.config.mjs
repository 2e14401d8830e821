// larkhook is loaded by Node at run time, as an app installed from npm would
// (the package reads its .wasm next to itself), not bundled.
export default { serverExternalPackages: ["larkhook"] };
