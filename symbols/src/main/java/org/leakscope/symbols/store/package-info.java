/**
 * Finding symbol files: the symbol path in WinDbg's syntax ({@link org.leakscope.symbols.store.SymbolPath}),
 * the layouts of local stores and the order candidates are tried in
 * ({@link org.leakscope.symbols.store.SymbolLocator}), HTTP(S) symbol servers with a cache and a record of misses
 * ({@code SymbolServer}), the cabinets Microsoft's servers compress files into
 * ({@link org.leakscope.symbols.store.CabReader}), and the separate debug files of stripped ELF programs (build-id
 * trees, {@code .gnu_debuglink}, debuginfod: {@link org.leakscope.symbols.store.DebugFileLocator}).
 *
 * <p>This package finds files; it does not decide whether one is the module's build. Each candidate is handed
 * to the caller ({@link org.leakscope.symbols.SymbolStore}), which opens it and checks its identity, and the
 * search goes on when it is refused. The one exception is a separate debug file, which must carry the build id of
 * the program it belongs to: the locator checks that itself, through a reader of build ids its caller gives it.
 * Names and ids come from dumps and logs, which anyone can write, so every path is built from checked components
 * ({@link org.leakscope.symbols.store.SafeNames}) and only regular files whose real path lies inside their folder
 * are offered (a debuglink's file, beside the program, need only be a regular file).
 */
package org.leakscope.symbols.store;
