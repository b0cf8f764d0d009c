// Tauon from Java: a few SimCLR steps of SmallConvNet with the InfoNCE loss (or the hard loss) on
// the embedded Fashion-MNIST subset, then uniformity and tolerance of the test embeddings before
// and after. On the steps it prints it also shows how the batch's similarities move and whether
// the loss falls when the embedding shrinks (docs/reproduction.md, finding 7: the hard loss's
// collapse).
// The same pieces experiment/Pretrain and experiment/Evaluation put together, written out by hand.
// Build and run it as docs/guide.md shows; GuideExampleTest compiles and runs it so it cannot rot.

import dev.tauon.autograd.Grad;
import dev.tauon.autograd.Var;
import dev.tauon.autograd.Workspace;
import dev.tauon.data.Augment;
import dev.tauon.data.Dataset;
import dev.tauon.data.Datasets;
import dev.tauon.loss.Collapse;
import dev.tauon.loss.ContrastiveLoss;
import dev.tauon.loss.HardContrastive;
import dev.tauon.loss.InfoNce;
import dev.tauon.loss.Pairs;
import dev.tauon.metrics.Tolerance;
import dev.tauon.metrics.Uniformity;
import dev.tauon.nn.Parameter;
import dev.tauon.nn.ProjectionHead;
import dev.tauon.nn.Sequential;
import dev.tauon.nn.SmallConvNet;
import dev.tauon.ops.L2Normalize;
import dev.tauon.ops.Linear;
import dev.tauon.optim.Schedule;
import dev.tauon.optim.Sgd;
import dev.tauon.tensor.Rng;
import dev.tauon.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class TrainAndMeasure {
    static final int DIM = 128;   // embedding dimension, the paper's

    // Flags: --limit N (images per split, class-balanced), --steps S, --batch B (images per step,
    // 2B views), --tau T, --lr LR, --seed S, --loss infonce|hard, --k K (negatives the hard loss
    // keeps; default 8% of the 2B − 2, as the paper's 4095 of 50,000).
    public static void main(String[] args) {
        int limit = 1000, steps = 40, batch = 64;
        double tau = 0.2, lr = 0.5;
        long seed = 0;
        String lossName = "infonce";
        int k = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--limit" -> limit = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--tau" -> tau = Double.parseDouble(args[i + 1]);
                case "--lr" -> lr = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--loss" -> lossName = args[i + 1];
                case "--k" -> k = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }

        // Data: the embedded subset (6,000 train, 1,000 test), cut to its first `limit` images of
        // the class-balanced order, as `tauon pretrain --limit` does. Pixels are in [0,1];
        // normalisation by the training set's channel statistics comes after augmentation.
        Datasets.Split split = Datasets.load("fashion-mnist-small", null);
        Dataset train = split.train().balancedHead(Math.min(limit, split.train().n()));
        Dataset test = split.test().balancedHead(Math.min(limit, split.test().n()));
        Dataset.ChannelStats stats = train.channelStats();
        Augment augment = Augment.paper(train.c());   // crop 0.2-1, flip, brightness and contrast 0.4

        // The network: backbone f (128-d features h) and a linear head g; z = g(h) / ‖g(h)‖.
        // Every random draw comes from one seeded counter-based stream, split by purpose.
        Rng rng = Rng.seeded(seed);
        Sequential backbone = SmallConvNet.create(train.c(), rng.split(1));
        ProjectionHead head = ProjectionHead.linear(SmallConvNet.FEATURES, DIM, rng.split(2));
        List<Parameter> params = new ArrayList<>(backbone.parameters());
        params.addAll(head.parameters());
        Sgd sgd = new Sgd(params, lr, 0.9, false, 5e-4);
        Schedule schedule = new Schedule.CosineWarmup(lr, 0, 0, steps);

        float[] before = embed(backbone, head, test, stats);
        report("untrained", before, test);

        // SimCLR: 2B views a step, rows [view 0 of the B images; view 1 of the same images];
        // s = z·zᵀ is (2B, 2B); Pairs.simclr names each row's positive (its other view) and self.
        if (batch < 2 || batch > train.n()) throw new IllegalArgumentException("--batch must be in 2.." + train.n() + ", got " + batch);
        ContrastiveLoss loss = switch (lossName) {
            case "infonce" -> new InfoNce((float) tau);
            case "hard" -> new HardContrastive((float) tau, k > 0 ? k : HardContrastive.defaultK(2 * batch - 2));
            default -> throw new IllegalArgumentException("--loss must be infonce or hard, got " + lossName);
        };
        Pairs pairs = Pairs.simclr(batch);
        int size = train.sampleSize(), hw = train.h() * train.w(), perEpoch = train.n() / batch;
        float[] x = new float[2 * batch * size];
        int[] order = null;
        Workspace ws = new Workspace();   // buffers reused from step to step
        for (int step = 0; step < steps; step++) {
            int epoch = step / perEpoch, first = (step % perEpoch) * batch;
            if (first == 0) order = rng.split(3).split(epoch).permutation(train.n());   // a new order each epoch
            for (int v = 0; v < 2; v++) {
                for (int j = 0; j < batch; j++) {
                    int image = order[first + j], row = v * batch + j;
                    // view v of this image in this epoch: a pure function of (seed, epoch, image, v)
                    augment.apply(train.images(), image * size, x, row * size, train.c(), train.h(), train.w(),
                            rng.split(4).split(epoch).split(image).split(v));
                    stats.normalize(x, row * size, hw);
                }
            }
            sgd.setLr(schedule.lr(step));
            float value;
            boolean show = step % 10 == 0 || step == steps - 1;
            float[] similarities = null;
            try (var scope = Workspace.step(ws)) {
                Var z = L2Normalize.apply(head.forward(backbone.forward(Var.constant(Tensor.of(x, 2 * batch, train.c(), train.h(), train.w())))));
                Var s = Linear.apply(z, z, null);   // s_ij = z_i · z_j
                Var l = loss.apply(s, pairs);
                value = l.data()[0];
                if (show) similarities = s.data().clone();   // before backward reuses its buffer
                sgd.zeroGrad();
                l.backward();
                sgd.step();
            }
            if (show) System.out.printf(Locale.ROOT, "step %d/%d: loss %.4f | %s%n", step + 1, steps, value, shrinking(loss, similarities, pairs, batch));
        }

        float[] after = embed(backbone, head, test, stats);
        report("trained", after, test);
    }

    // The batch's mean similarity of positive pairs and of negatives, and the loss's slope when
    // every distance is scaled by c (Collapse.slope): > 0 means shrinking the embedding lowers it.
    static String shrinking(ContrastiveLoss loss, float[] s, Pairs pairs, int batch) {
        int n = 2 * batch;
        double pos = 0, neg = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == pairs.pos()[i]) pos += s[i * n + j];
                else if (j != i) neg += s[i * n + j];
            }
        }
        Collapse.Slope slope = Collapse.slope(loss, s, n, n, pairs);
        return String.format(Locale.ROOT, "mean s positive %.4f, negative %.4f; dL/dc %+.4f (falls as it shrinks for %d of %d rows)",
                pos / n, neg / (n * (n - 2.0)), slope.slope(), slope.shrinking(), n);
    }

    // z of every image of data: clean (no augmentation), batch norm in evaluation mode, no graph.
    static float[] embed(Sequential backbone, ProjectionHead head, Dataset data, Dataset.ChannelStats stats) {
        int n = data.n(), size = data.sampleSize(), hw = data.h() * data.w(), chunk = 500;
        float[] z = new float[n * DIM], x = new float[Math.min(chunk, n) * size];
        backbone.setTraining(false);
        head.setTraining(false);
        Workspace ws = new Workspace();
        try (var off = Grad.off()) {
            for (int lo = 0; lo < n; lo += chunk) {
                int m = Math.min(chunk, n - lo);
                System.arraycopy(data.images(), lo * size, x, 0, m * size);
                for (int j = 0; j < m; j++) stats.normalize(x, j * size, hw);
                try (var scope = Workspace.step(ws)) {
                    Var out = L2Normalize.apply(head.forward(backbone.forward(Var.constant(Tensor.of(x, m, data.c(), data.h(), data.w())))));
                    System.arraycopy(out.data(), 0, z, lo * DIM, m * DIM);   // copy out: the step's buffers are reused
                }
            }
        } finally {
            backbone.setTraining(true);
            head.setTraining(true);
        }
        return z;
    }

    // Uniformity −L_unif (t = 2; higher = more uniform) and tolerance (mean similarity to the other
    // test images of the same class) of the test embeddings, as metrics.json reports them.
    static void report(String what, float[] z, Dataset test) {
        int n = test.n();
        int[] self = new int[n];
        for (int i = 0; i < n; i++) self[i] = i;
        double uniformity = Uniformity.of(z, n, DIM);
        double tolerance = Tolerance.of(z, n, test.labels(), self, z, n, test.labels(), DIM);
        System.out.printf(Locale.ROOT, "%s: uniformity %.4f, tolerance %.4f (%d test images)%n", what, uniformity, tolerance, n);
    }
}
