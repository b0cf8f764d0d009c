package dev.tauon.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// A sweep as a Slurm job array: the sbatch script whose task I runs `tauon sweep run --index I`,
// checkpoints on USR1/TERM and requeues itself before the time limit, and its submission with
// sbatch. Slurm is the scheduler; Tauon only writes the script. docs/cluster.md explains it.
public final class Slurm {
    private Slurm() {}

    // Everything the script needs; paths are made absolute. checkpointMinutes: `sweep run
    // --checkpoint-minutes` (0: only at epoch ends). Nullable: partition, time, memory.
    public record Options(Path sweepDir, int tasks, int parallel, int threads, double checkpointMinutes, String partition,
                          String time, String memory, Path jar, Path javaHome, List<String> jvmFlags) {
        public Options {
            if (tasks < 1) throw new IllegalArgumentException("a Slurm array needs at least one run, the plan has " + tasks);
            if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            if (!(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) {
                throw new IllegalArgumentException("--checkpoint-minutes must be >= 0 and finite, got " + checkpointMinutes);
            }
            sweepDir = absolute(sweepDir, "sweep folder");
            jar = absolute(jar, "jar");
            javaHome = absolute(javaHome, "JDK folder");
            jvmFlags = List.copyOf(jvmFlags);
            word(partition, "--partition");
            word(time, "--time");
            word(memory, "--mem");
            for (String f : jvmFlags) {
                if (f.isEmpty() || f.contains("\n")) throw new IllegalArgumentException("JVM flag must be one non-empty line, got '" + f + "'");
            }
        }
    }

    // What ./tauon gives every JVM: the Vector API module, and native access for the GPU backend.
    static final String VECTOR_FLAGS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    // The script, line by line as docs/cluster.md explains it; {NAME} marks a value from Options.
    private static final String TEMPLATE = """
            #!/usr/bin/env bash
            # Tauon sweep {SWEEP} as a Slurm job array (written by tauon; docs/cluster.md explains each line).
            # Name shown by squeue.
            #SBATCH --job-name=tauon-{NAME}
            # One array task per line of plan.jsonl, at most {PARALLEL} running at once.
            #SBATCH --array=0-{LAST}%{PARALLEL}
            # Each task is one run on one node, with --threads CPUs.
            #SBATCH --cpus-per-task={THREADS}
            # Slurm may put the task back in the queue (preemption, node failure, scontrol requeue).
            #SBATCH --requeue
            # USR1 to this shell (B:) 120 s before the time limit: time to write a checkpoint.
            #SBATCH --signal=B:USR1@120
            # One log per task (%A job, %a index); a requeued task appends to it.
            #SBATCH --output={OUTPUT}
            #SBATCH --open-mode=append
            {OPTIONAL}
            # The plan entry: the array index, or a Kubernetes indexed Job's completion index.
            index="${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:?neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set}}"
            # Threads: the CPUs Slurm gave the task ({THREADS} outside Slurm).
            threads="${SLURM_CPUS_PER_TASK:-{THREADS}}"
            # The signal this shell took: USR1 (time limit near) or TERM (scancel, preemption, requeue).
            got="" pid="" trapped=""
            # Either signal is passed on to java as TERM: it writes a checkpoint and exits 143.
            trap 'got=USR1 trapped=1; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' USR1
            trap 'got=TERM trapped=1; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' TERM
            # Run the entry in the background, so that this shell can take signals meanwhile; it
            # resumes from the run's checkpoint if there is one, checkpoints at each epoch's end and
            # every --checkpoint-minutes within one, and exits 0 at once when the run is done.
            {JAVA} {FLAGS} -jar {JAR} sweep run --dir {DIR} --index "$index" --threads "$threads" --checkpoint-minutes {CKPT} &
            pid=$!
            # A signal that came before java started is passed on now.
            [ -n "$got" ] && kill -TERM "$pid" 2>/dev/null
            # A trap makes wait return 128+signal at once, java still writing its checkpoint or just
            # gone; then wait again, for java's own status.
            while :; do
              trapped=""
              wait "$pid"; rc=$?
              [ -n "$trapped" ] && [ "$rc" -gt 128 ] || break
            done
            # 143/138/130: java saved a checkpoint and stopped before the end of the run. Only the
            # time-limit warning requeues here: Slurm requeues a preempted or requeued task itself,
            # and a task stopped by scancel must stay stopped.
            case "$rc" in 130|138|143)
              if [ "$got" = USR1 ] && [ -n "${SLURM_ARRAY_JOB_ID:-}" ]; then
                echo "tauon: run $index checkpointed before the time limit; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
              fi ;;
            esac
            exit "$rc"
            """;

    // The sbatch script text for a sweep of o.tasks() runs, o.parallel() at a time.
    public static String script(Options o) {
        String sweep = o.sweepDir().toString();
        String name = o.sweepDir().getFileName() == null ? "sweep" : o.sweepDir().getFileName().toString();
        StringBuilder flags = new StringBuilder(VECTOR_FLAGS);
        for (String f : o.jvmFlags()) flags.append(' ').append(shellQuote(f));
        StringBuilder optional = new StringBuilder();
        if (o.partition() != null) optional.append("# Queue to run in.\n#SBATCH --partition=").append(o.partition()).append('\n');
        if (o.time() != null) optional.append("# Wall-clock limit of one task; a longer run is checkpointed and requeued.\n#SBATCH --time=").append(o.time()).append('\n');
        if (o.memory() != null) optional.append("# Memory of one task.\n#SBATCH --mem=").append(o.memory()).append('\n');
        Map<String, String> values = Map.ofEntries(
                Map.entry("SWEEP", sweep),
                Map.entry("NAME", name.replaceAll("[^A-Za-z0-9._-]", "_")),
                Map.entry("LAST", Integer.toString(o.tasks() - 1)),
                Map.entry("PARALLEL", Integer.toString(o.parallel())),
                Map.entry("THREADS", Integer.toString(o.threads())),
                Map.entry("OUTPUT", sbatchQuote(sweep.replace("%", "%%") + "/slurm/%A_%a.out")),
                Map.entry("OPTIONAL", optional.toString()),
                Map.entry("JAVA", shellQuote(o.javaHome().resolve("bin").resolve("java").toString())),
                Map.entry("FLAGS", flags.toString()),
                Map.entry("JAR", shellQuote(o.jar().toString())),
                Map.entry("DIR", shellQuote(sweep)),
                Map.entry("CKPT", new java.math.BigDecimal(Double.toString(o.checkpointMinutes())).stripTrailingZeros().toPlainString()));
        // one pass, so that no value is scanned again; bash's own ${NAME} are not in the map
        return TOKEN.matcher(TEMPLATE).replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }

    private static final Pattern TOKEN = Pattern.compile("\\{([A-Z_]+)}");

    // Writes script(o) to SWEEP/slurm/tauon.sbatch (creating SWEEP/slurm, where the logs go).
    public static Path write(Options o) throws IOException {
        Path dir = Files.createDirectories(o.sweepDir().resolve("slurm"));
        Path file = dir.resolve("tauon.sbatch");
        Files.writeString(file, script(o), StandardCharsets.UTF_8);
        return file;
    }

    // Runs `sbatch --parsable SCRIPT` and returns the job id; IOException with sbatch's words when it fails.
    public static String submit(Path script) throws IOException {
        return submit(script, System.getenv("PATH"));
    }

    static String submit(Path script, String searchPath) throws IOException {
        Path sbatch = onPath("sbatch", searchPath);
        if (sbatch == null) {
            throw new IOException("sbatch not found on PATH: submit from a Slurm login node, or submit "
                    + script + " there with `sbatch " + script.getFileName() + "`");
        }
        Result r = exec(List.of(sbatch.toString(), "--parsable", script.toAbsolutePath().toString()), searchPath, 120);
        if (r.code != 0) {
            throw new IOException("sbatch " + script + " failed (exit " + r.code + "): " + oneLine(r.output));
        }
        Matcher m = JOB_ID.matcher(r.output.strip());
        if (!m.find()) throw new IOException("sbatch " + script + " printed no job id: " + oneLine(r.output));
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    // `sbatch --parsable` prints "123" or "123;cluster"; without it, "Submitted batch job 123".
    private static final Pattern JOB_ID = Pattern.compile("(?m)^(\\d+)(?:;\\S*)?$|Submitted batch job (\\d+)");

    // True when sbatch is on PATH and the Slurm controller answers.
    public static boolean available() {
        return available(System.getenv("PATH"));
    }

    static boolean available(String searchPath) {
        Path sinfo = onPath("sinfo", searchPath);
        if (onPath("sbatch", searchPath) == null || sinfo == null) return false;
        try {
            return exec(List.of(sinfo.toString(), "-h", "-o", "%P"), searchPath, 20).code == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private record Result(int code, String output) {}

    private static Result exec(List<String> cmd, String searchPath, int seconds) throws IOException {
        Path out = Files.createTempFile("tauon-slurm", ".out");  // a file, so that a hung command cannot block reading
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (searchPath != null) pb.environment().put("PATH", searchPath);
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.getFirst() + " did not answer within " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(cmd.getFirst() + " interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Path onPath(String program, String searchPath) {
        if (searchPath == null) return null;
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    // text as one bash word: as it is when plainly safe, else shellQuote(text).
    public static String shellWord(String text) {
        return text.matches("[A-Za-z0-9_./%:@+=,-]+") ? text : shellQuote(text);
    }

    // 'text' for bash: nothing inside single quotes is special; a quote is closed, escaped, reopened.
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    // sbatch reads #SBATCH values as words; double quotes keep spaces in a path.
    private static String sbatchQuote(String text) {
        return text.matches("[A-Za-z0-9_./%:@+=,-]+") ? text : "\"" + text + "\"";
    }

    private static Path absolute(Path p, String what) {
        if (p == null) throw new IllegalArgumentException("the " + what + " is missing");
        Path a = p.toAbsolutePath().normalize();
        if (a.toString().contains("\n") || a.toString().contains("\"")) {
            throw new IllegalArgumentException("the " + what + " path must not contain a newline or a double quote: " + a);
        }
        return a;
    }

    private static void word(String value, String flag) {
        if (value != null && !value.matches("[A-Za-z0-9_.:,@+-]+")) {
            throw new IllegalArgumentException(flag + " must be one word of letters, digits and _.:,@+-, got '" + value + "'");
        }
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.isEmpty() ? "(no output)" : t.length() > 400 ? t.substring(0, 400) + " ..." : t;
    }
}
