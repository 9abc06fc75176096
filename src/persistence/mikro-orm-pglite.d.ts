// mikro-orm-pglite publishes its types only through package.json `exports`, which our
// `moduleResolution: node` ignores; point TypeScript at them (runtime `require` uses `exports` fine).
declare module 'mikro-orm-pglite' {
  export * from 'mikro-orm-pglite/dist/index';
}
