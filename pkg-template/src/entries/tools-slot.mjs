// Where the Workers entry finds the tools module once "larkhook/tools" has
// loaded it: Workers compile WebAssembly only from static imports, and the
// main entry does not import the tools module (every Worker would carry it).
let provided;

export function provideTools(glue) {
  provided = glue;
}

export function providedTools() {
  return provided;
}
