package dev.tauon.cli;

import dev.tauon.autograd.Var;
import dev.tauon.data.Npy;
import dev.tauon.loss.ContrastiveLoss;
import dev.tauon.loss.Decoupled;
import dev.tauon.loss.HardContrastive;
import dev.tauon.loss.InfoNce;
import dev.tauon.loss.Pairs;
import dev.tauon.loss.SimClr;
import dev.tauon.loss.SimpleContrastive;
import dev.tauon.metrics.HardnessProfile;
import dev.tauon.ops.L2Normalize;
import dev.tauon.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

// `tauon loss`: a contrastive loss on two views of N embeddings from .npy files, for teaching and
// for checking other implementations: the loss, its gradients w.r.t. the raw inputs and the
// hardness profile of every anchor (docs/paper.md §2), in the SimCLR setting (2N views, rows normalised).
@Command(name = "loss", mixinStandardHelpOptions = true,
        description = "Contrastive loss of two views (N×d .npy, float32/float64), its gradients and hardness profile.")
final class LossCommand implements Runnable {
    enum Kind { infonce, dcl, hard, simple }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--z1", required = true, paramLabel = "A.npy", description = "first views, N×d")
    Path z1;

    @Option(names = "--z2", required = true, paramLabel = "B.npy", description = "second views, N×d (row i pairs with row i of --z1)")
    Path z2;

    @Option(names = "--tau", paramLabel = "T", description = "temperature (default: ${DEFAULT-VALUE})")
    float tau = 0.1f;

    @Option(names = "--loss", paramLabel = "L", description = "infonce, dcl, hard or simple (default: ${DEFAULT-VALUE})")
    Kind kind = Kind.infonce;

    @Option(names = "--k", paramLabel = "K", description = "negatives kept by the hard loss (default: 8%% of the 2N−2)")
    Integer k;

    @Option(names = "--out", paramLabel = "DIR", description = "write grad_z1.npy, grad_z2.npy and hardness.csv here")
    Path out;

    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    @Mixin ComputeOptions compute;

    @Override public void run() { compute.run(this::body); }

    private void body() {
        if (!(tau > 0) || Float.isInfinite(tau)) throw new UserError("--tau must be positive, got " + tau);
        if (k != null && kind != Kind.hard) throw new UserError("--k applies to --loss hard only, not " + kind);
        if (out != null) checkWritable(out);
        Tensor a = load(z1), b = load(z2);
        if (!a.shape().equals(b.shape())) throw new UserError(z2 + ": shape " + b.shape() + " does not match " + z1 + " " + a.shape());
        int n = a.dim(0), d = a.dim(1);
        if (n < 2 || d < 1) throw new UserError(z1 + ": needs at least 2 rows and 1 column, got " + a.shape());
        int negatives = 2 * n - 2;
        if (k != null && (k < 1 || k > negatives)) throw new UserError("--k must be in 1.." + negatives + " (the negatives per anchor), got " + k);
        UserError.checkArraySize("the (2N)×(2N) similarity matrix of " + n + " rows", 2L * n, 2L * n);
        Memory.require("the loss over " + n + " rows", bytesNeeded(n, d));
        ContrastiveLoss loss = switch (kind) {
            case infonce -> new InfoNce(tau);
            case dcl -> Decoupled.dcl(tau);
            case hard -> new HardContrastive(tau, k != null ? k : HardContrastive.defaultK(negatives));
            case simple -> new SimpleContrastive();
        };
        Var v1 = Var.param(a), v2 = Var.param(b);
        Var s = SimClr.similarity(L2Normalize.apply(v1), L2Normalize.apply(v2));
        Var value = loss.apply(s, Pairs.simclr(n));
        value.backward();
        if (out != null) write(s.data(), n, v1.grad().data(), v2.grad().data(), d);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = Json.object(
                    "loss", kind.name(),
                    "value", value.data()[0],
                    "tau", tau,
                    "n", n,
                    "dim", d,
                    "backend", dev.tauon.backend.ActiveBackend.get().name(),
                    "bit_reproducible", dev.tauon.backend.ActiveBackend.get().deterministic());
            if (kind == Kind.hard) m.put("k", ((HardContrastive) loss).k());
            o.println(Json.line(m));
        } else {
            o.printf("%s over %d pairs (%d views, d=%d, tau=%s, backend %s): %.7g%n", kind, n, 2 * n, d, tau, BackendOption.inUse(), value.data()[0]);
        }
        o.flush();
    }

    // The loss's large arrays, from the code: the similarities s, the softmax (or hinge) buffer
    // and ds, each (2N)² floats; the hard loss's top-K lists are smaller than one of them. The
    // rows are counted 8 times (inputs, normalised rows, z = [z1; z2], gradients).
    // Blocking the rows would need less, but the losses take the whole (2N,2N) matrix: a blocked
    // loss needs per-row entry points in loss/ to keep the bits (docs/reliability.md).
    static long bytesNeeded(long n, long d) {
        return 4 * (3 * (2 * n) * (2 * n) + 8 * n * d);
    }

    // A 2-D float array with finite values and rows that can be normalised.
    private Tensor load(Path file) {
        Npy.Array arr;
        try {
            arr = Npy.read(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
        if (arr.floats() == null) throw new UserError(file + ": dtype " + arr.descr() + " is not float32 or float64");
        if (arr.shape().length != 2) throw new UserError(file + ": expected a 2-D array (N, d), got shape " + java.util.Arrays.toString(arr.shape()));
        float[] x = arr.floats();
        int n = arr.shape()[0], d = arr.shape()[1];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) {
                float v = x[i * d + j];
                if (!Float.isFinite(v)) throw new UserError(file + ": row " + i + ", column " + j + " is " + v + " (rows and columns count from 0)");
                sq += (double) v * v;
            }
            if (d > 0 && !(Math.sqrt(sq) > L2Normalize.EPS)) {
                throw new UserError(file + ": row " + i + (sq == 0 ? " is all zeros" : " has norm " + Math.sqrt(sq))
                        + " and cannot be normalised (rows count from 0)");
            }
        }
        return Tensor.of(x, arr.shape());
    }

    // Before any work: --out must be a directory this process can create and write in.
    static void checkWritable(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError("--out " + dir + ": is a file, expected a directory");
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".tauon-write-check", ""));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("--out " + dir + ": permission denied" + (e.getFile() == null || e.getFile().equals(dir.toString()) ? "" : " (" + e.getFile() + ")"));
        } catch (java.nio.file.FileSystemException e) {
            String why = e.getReason() == null ? e.toString() : e.getReason().toLowerCase(java.util.Locale.ROOT);
            if (why.contains("not permitted") || why.contains("read-only")) why = "permission denied (" + why + ")";
            throw new UserError("--out " + dir + ": " + why + (e.getFile() == null || e.getFile().equals(dir.toString()) ? "" : " (" + e.getFile() + ")"));
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot write (" + e.getMessage() + ")");
        }
    }

    // s: (2N,2N) similarities -> grad_z1.npy, grad_z2.npy and one hardness line per anchor
    private void write(float[] s, int n, float[] g1, float[] g2, int d) {
        try {
            Files.createDirectories(out);
            Npy.write(out.resolve("grad_z1.npy"), g1, n, d);
            Npy.write(out.resolve("grad_z2.npy"), g2, n, d);
            Pairs pairs = Pairs.simclr(n);
            StringBuilder csv = new StringBuilder("anchor,view,row,s_pos,s_hardest_neg,entropy,share_top1,share_top10\n");
            for (int i = 0; i < 2 * n; i++) {
                HardnessProfile top1 = HardnessProfile.of(s, i * 2 * n, 2 * n, pairs.pos()[i], i, tau, 1);
                HardnessProfile top10 = HardnessProfile.of(s, i * 2 * n, 2 * n, pairs.pos()[i], i, tau, 10);
                float hardest = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < 2 * n; j++) if (j != i && j != pairs.pos()[i]) hardest = Math.max(hardest, s[i * 2 * n + j]);
                csv.append(i).append(',').append(i < n ? 1 : 2).append(',').append(i % n).append(',')
                        .append(s[i * 2 * n + pairs.pos()[i]]).append(',').append(hardest).append(',')
                        .append((float) top1.entropy()).append(',').append((float) top1.topShare()).append(',').append((float) top10.topShare()).append('\n');
            }
            Files.writeString(out.resolve("hardness.csv"), csv);
        } catch (IOException e) {
            throw new UserError(out + ": cannot write: " + e.getMessage());
        }
    }
}
