package org.leakscope.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.leakscope.analysis.SymbolDumps;
import org.leakscope.cli.text.SymFileText;
import org.leakscope.model.Limits;

/**
 * {@code dumpsyms FILE...}: Breakpad {@code .sym} files from PDB and PE files, so a Linux machine can fill a
 * Breakpad symbol store from Windows builds without Microsoft's tools.
 */
final class DumpsymsCommand {
    private final PrintStream out;
    private final PrintStream err;

    DumpsymsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("store").hasArg().argName("DIR")
                .desc("file each module as DIR/<debug file>/<debug id>/<name>.sym (a Breakpad symbol store),"
                        + " creating folders as needed; without it the one module goes to stdout or -o").build());
        o.addOption(Option.builder().longOpt("inlines").desc("ELF files: also INLINE and INLINE_ORIGIN records (inline"
                + " frames), as dump_syms --inlines").build());
        o.addOption(Option.builder().longOpt("flavor").hasArg().argName("breakpad|mozilla")
                .desc("whose dump_syms to write like where the two differ: breakpad (default; Microsoft DIA's names)"
                        + " or mozilla (the Rust dump_syms behind Mozilla's and Sentry's symbol servers: its spelling"
                        + " of names, full fastcall parameter sizes, a catch-all <unknown in BINARY> PUBLIC)").build());
        CommonOptions.addSymbolsPath(o, "stripped ELF files: where to look for their separate debug files (matched by"
                + " build id), besides /usr/lib/debug and the debuginfod servers of $DEBUGINFOD_URLS");
        CommonOptions.addOutputAndHelp(o);
        return o;
    }

    ExitCode run(String[] args) throws IOException {
        Options options = options();
        CommandLine cl = CommonOptions.parseOrHelp(options, args, () -> help(options));
        if (cl == null) {
            return ExitCode.OK;
        }
        List<Path> files = CommonOptions.files(cl, "PDB, PE or ELF file");
        if (cl.hasOption("store") && cl.hasOption("output")) {
            throw new UsageException("--store and -o/--output: a store names its files itself");
        }
        for (Path p : files) {
            InputFiles.check(p);
        }
        List<SymbolDumps.ModuleDump> dumps = SymbolDumps.dump(files, Limits.DEFAULT, flavor(cl),
                cl.hasOption("inlines"), CommonOptions.settings(cl));
        for (SymbolDumps.ModuleDump d : dumps) {
            d.warnings().forEach(w -> err.println("dumpsyms: warning: " + w));
        }
        if (!cl.hasOption("store")) {
            if (dumps.size() != 1) {
                throw new UsageException(dumps.size() + " modules in " + files.size() + " files: give --store DIR to"
                        + " file each, or one PDB (with its PE) at a time");
            }
            Path o = cl.hasOption("output") ? Path.of(cl.getOptionValue("output")) : null;
            new OutputTarget(o, out).stream(w -> SymFileText.write(dumps.get(0).data(), w));
            return ExitCode.OK;
        }
        Path store = Path.of(cl.getOptionValue("store"));
        for (SymbolDumps.ModuleDump d : dumps) {
            Path target = d.storePath(store);
            if (target == null) {
                throw new UsageException(d.sources().get(0) + ": its debug file '" + d.data().module().debugFile()
                        + "' or id '" + d.data().module().debugId() + "' cannot be a folder of a symbol store");
            }
            Files.createDirectories(target.getParent());
            new OutputTarget(target, out).stream(w -> SymFileText.write(d.data(), w));
            out.println(target);
        }
        return ExitCode.OK;
    }

    private static SymbolDumps.Flavor flavor(CommandLine cl) {
        String f = cl.getOptionValue("flavor", "breakpad");
        return switch (f) {
            case "breakpad" -> SymbolDumps.Flavor.BREAKPAD;
            case "mozilla" -> SymbolDumps.Flavor.MOZILLA;
            default -> throw new UsageException("--flavor: expected breakpad or mozilla, got '" + f + "'");
        };
    }

    private void help(Options options) {
        CommonOptions.printHelp(out, options, "dumpsyms [options] FILE...",
                "Writes Breakpad .sym files from Windows symbols: a PDB (FILE, FUNC with argument types, line"
                        + " records, PUBLIC, STACK WIN) with its PE when given (INFO CODE_ID, and STACK CFI from"
                        + " x64 unwind data), or a PE alone. A PDB and a PE are paired by debug id, never by name."
                        + " From an ELF file: its DWARF (FILE, FUNC, lines, PUBLIC; INLINE with --inlines) and"
                        + " STACK CFI from .eh_frame/.debug_frame; a stripped ELF file's DWARF from its separate debug"
                        + " file of the same build id (.build-id trees in /usr/lib/debug and --symbols-path folders,"
                        + " .gnu_debuglink, debuginfod). The files are read by content, on any OS.",
                """
                Examples:
                  dumpsyms app.pdb app.exe > app.sym               # one module to stdout
                  dumpsyms app.pdb app.exe --store symbols/        # symbols/app.pdb/<ID>/app.sym
                  dumpsyms build/*.pdb build/*.dll --store symbols/ # every module of a build
                  dumpsyms --inlines build/libapp.so > libapp.so.sym # DWARF, with inline records
                  dumpsyms --flavor mozilla app.pdb app.exe         # as mozilla's dump_syms writes it
                  dumpsyms --symbols-path dbg/ bin/app > app.sym   # stripped: dbg/.build-id/ab/cdef….debug

                With --store, each file written is printed on its own line.
                """);
    }
}
