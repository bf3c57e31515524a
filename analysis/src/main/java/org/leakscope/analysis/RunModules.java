package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;
import org.leakscope.symbols.PeSymbolFile;

/**
 * Modules for the runs of logs that print return addresses but no module list (the original resmon): each
 * program file the user names ({@code --module-file}), or else the file named like the run's process in the
 * symbol roots, is placed at the load address its return addresses fit ({@link ModuleBases}), and becomes a
 * {@link Module} with its size (SizeOfImage), path and identity (CodeView id, code id), so the run's frames are
 * named by the symbol service like any other module's. A file that fits no base, or several, is refused with a
 * note saying why; the run keeps its bare addresses. Runs whose log names its modules are left alone.
 */
public final class RunModules {
    private RunModules() {
    }

    /**
     * The run with the modules placed; the same run when it has a module list, no return addresses, or no file
     * fits. Each refusal, and each placement that leaves return addresses outside every module, adds a note.
     *
     * @param source the log, as the notes name it
     */
    public static ResmonRun place(String source, ResmonRun run, Settings settings, List<String> notes) {
        if (!run.modules().modules().isEmpty()) {
            return run;
        }
        boolean named = !settings.moduleFiles().isEmpty();
        List<Path> files = named ? settings.moduleFiles() : byProcessName(settings.symbolRoots(), run.module());
        List<Long> sites = returnAddresses(run);
        if (files.isEmpty() || sites.isEmpty()) {
            return run;
        }
        String label = source + ": run " + run.index() + " (" + run.label() + "): ";
        long alignment = run.kernel() ? ModuleBases.KERNEL_ALIGNMENT : ModuleBases.USER_ALIGNMENT;
        List<Module> placed = new ArrayList<>();
        for (Path file : files) {
            String how = file + (named ? "" : " (found by the process name)");
            ModuleBases.Image image;
            PeSymbolFile pe;
            try {
                pe = PeSymbolFile.open(file, settings.limits());
                image = new ModuleBases.Image(pe.imageBase(), pe.imageSize(), pe.is64(), pe.code());
            } catch (InputFormatException e) {
                notes.add(label + "module file not used: " + e.getMessage());
                continue;
            } catch (IOException e) {
                notes.add(label + "module file " + file + " not used: cannot read: " + e.getMessage());
                continue;
            }
            ModuleBases.Result r = ModuleBases.find(image, sites, alignment);
            if (r instanceof ModuleBases.Refused refused) {
                notes.add(label + how + " not placed: " + refused.reason());
                continue;
            }
            ModuleBases.Placed p = (ModuleBases.Placed) r;
            Module m = new Module(p.base(), pe.imageSize(), file.toAbsolutePath().toString(), null, pe.debugId(), null,
                    DebugIds.peCode(pe.timeDateStamp(), pe.imageSize()));
            Module overlap = placed.stream().filter(o -> o.contains(m.base()) || m.contains(o.base())).findFirst()
                    .orElse(null);
            if (overlap != null) {
                notes.add(label + how + " not placed: its fitting load address " + Hex.of(m.base()) + " overlaps "
                        + overlap.name() + " at " + Hex.of(overlap.base()));
                continue;
            }
            placed.add(m);
        }
        if (placed.isEmpty()) {
            return run;
        }
        ModuleMap modules = ModuleMap.of(placed);
        List<Long> outside = sites.stream().distinct().filter(a -> modules.find(a).isEmpty()).toList();
        if (!outside.isEmpty()) {
            notes.add(label + String.join(", ", placed.stream().map(m -> m.name() + " at " + Hex.of(m.base()))
                    .toList()) + "; " + outside.size() + " of "
                    + sites.stream().distinct().count() + " return addresses lie outside (other modules): "
                    + ModuleBases.list(outside, 3));
        }
        return run.withModules(modules);
    }

    /** The logs with each run's modules placed ({@link #place(String, ResmonRun, Settings, List)}). */
    public static List<ResmonLog> place(List<ResmonLog> logs, Settings settings, List<String> notes) {
        List<ResmonLog> out = new ArrayList<>(logs.size());
        for (ResmonLog log : logs) {
            List<ResmonRun> runs = log.runs().stream().map(r -> place(log.source(), r, settings, notes)).toList();
            out.add(new ResmonLog(log.source(), log.computer(), log.encoding(), log.framed(), log.records(),
                    log.resmonLines(), runs, log.problems(), log.leftOut(), log.leftOutCount()));
        }
        return out;
    }

    /** Every return address of the run's reports (the exit report's and the last on-demand one's). */
    static List<Long> returnAddresses(ResmonRun run) {
        Set<Long> out = new LinkedHashSet<>();
        for (ResmonReport r : new ResmonReport[] {run.exitReport(), run.lastOnDemand()}) {
            if (r != null) {
                for (CallSite s : r.callSites()) {
                    out.addAll(s.stack());
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The program file named like the process in each symbol root (also in lower case: Windows names are
     * case-blind), when no {@code --module-file} is given. The one place a run's binary is looked up by name: a
     * symbol-path locator that knows Microsoft store layouts ({@code name.exe/TIMESTAMPSIZE/name.exe}) belongs
     * here, giving every candidate of the name; the base search then tells which build the run was.
     */
    static List<Path> byProcessName(List<Path> roots, String process) {
        if (process == null || process.isEmpty() || process.contains("/") || process.contains("\\")
                || process.equals("..") || process.indexOf('\0') >= 0) {
            return List.of(); // a name from an untrusted log never leaves its root
        }
        Set<Path> found = new LinkedHashSet<>();
        for (Path root : roots) {
            for (String name : new String[] {process, process.toLowerCase(Locale.ROOT)}) {
                try {
                    Path p = root.resolve(name);
                    if (Files.isRegularFile(p) && PeSymbolFile.isPe(p)) {
                        found.add(p);
                    }
                } catch (InvalidPathException e) {
                    // a name this file system cannot hold
                }
            }
        }
        return List.copyOf(found);
    }
}
