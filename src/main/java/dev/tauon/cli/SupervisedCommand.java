package dev.tauon.cli;

import dev.tauon.data.Datasets;
import dev.tauon.experiment.Progress;
import dev.tauon.experiment.Supervised;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

// `tauon supervised`: trains SmallConvNet + a linear classifier on (Fashion-)MNIST and reports
// test accuracy; the end-to-end check that the engine learns real images.
@Command(name = "supervised", mixinStandardHelpOptions = true,
        description = "Train SmallConvNet with a linear classifier on Fashion-MNIST or MNIST and report test accuracy.")
final class SupervisedCommand implements Runnable {
    enum DatasetName { fashion_mnist, mnist }

    @Option(names = "--dataset", paramLabel = "NAME", converter = DatasetConverter.class,
            description = "fashion-mnist (default) or mnist")
    DatasetName dataset = DatasetName.fashion_mnist;

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with the four IDX files (default for fashion-mnist: " + "/usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--epochs", paramLabel = "E", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--batch", paramLabel = "B", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate, cosine schedule (default: ${DEFAULT-VALUE})")
    double lr = 0.1;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = 5e-4;

    @Option(names = "--seed", paramLabel = "S", description = "random seed; same seed, same bits (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--flip", description = "random horizontal flips (off by default: in 3 epochs they cost accuracy)")
    boolean flip;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training images (quick runs)")
    Integer limit;

    @Option(names = "--json", description = "print only a JSON object with the results on stdout (the report lines go to stderr)")
    boolean json;

    @Mixin ComputeOptions compute;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() { compute.run(this::body); }

    // Bytes a training step holds per image of the batch: SmallConvNet's activations, their
    // gradients and the fused layers' saved codes at 28×28, as the step's Workspace allocates
    // them (766 kB measured; SupervisedMemoryTest fails if this is too low), plus what lives
    // outside the Workspace (the batch buffers, per-op scratch).
    static final long STEP_BYTES_PER_IMAGE = 900_000;
    // The test-set evaluation after each epoch: a forward pass over 500 images, beside the
    // training buffers: 508 MB measured (SupervisedMemoryTest fails if this is too low).
    static final long EVAL_BYTES = 560_000_000;

    private void body() {
        if (epochs < 1) throw new UserError("--epochs must be at least 1, got " + epochs);
        if (batch < 2) throw new UserError("--batch must be at least 2 (batch norm needs a batch), got " + batch);
        if (limit != null && limit < 1) throw new UserError("--limit must be a positive number of training images, got " + limit);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new UserError("--lr must be positive and finite, got " + lr);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new UserError("--weight-decay must be >= 0 and finite, got " + weightDecay);
        var cfg = new Supervised.Config(epochs, batch, lr, weightDecay, seed, flip);
        Datasets.Split split = dataset == DatasetName.mnist ? Datasets.mnist(data) : Datasets.fashionMnist(data);
        var train = limit == null ? split.train() : split.train().head(Math.min(limit, split.train().n()));
        if (train.n() < batch) {
            throw new UserError("--batch " + batch + " exceeds the " + train.n() + " training images" + (limit == null ? "" : " kept by --limit"));
        }
        long hw = (long) train.h() * train.w();
        Memory.require("a training step of --batch " + batch, (STEP_BYTES_PER_IMAGE * batch + EVAL_BYTES) * hw / 784);
        // with --json, stdout holds only the JSON object (it pipes into jq); the report goes to stderr
        var out = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        out.printf("%s: %d training images, %d test images, %d epochs, batch %d, %d threads, backend %s%n",
                train.name(), train.n(), split.test().n(), epochs, batch, dev.tauon.kernel.Parallel.threads(), BackendOption.inUse());
        out.flush();
        long steps = (long) epochs * (train.n() / batch);
        Supervised.Result result;
        try (Progress progress = Progress.start("train", steps, false)) {
            result = Supervised.run(cfg, train, split.test(), new Supervised.Listener() {
                @Override public void batchDone(int epoch, int b, int batches, float loss) {
                    progress.step(1);
                    progress.message(String.format("epoch %d loss %.4f", epoch + 1, loss));
                }

                @Override public void epochDone(Supervised.EpochResult r) {
                    progress.log(String.format("epoch %d: train loss %.4f, test accuracy %.2f%% (%.0f s)",
                            r.epoch(), r.trainLoss(), 100 * r.testAccuracy(), r.seconds()));
                }
            });
        }
        out.printf("test accuracy: %.2f%% after %d epochs (%.0f s)%n", 100 * result.testAccuracy(), epochs, result.seconds());
        if (json) {
            Map<String, Object> o = Json.object(
                    "command", "supervised",
                    "dataset", train.name(),
                    "epochs", epochs,
                    "batch", batch,
                    "seed", seed,
                    "backend", dev.tauon.backend.ActiveBackend.get().name(),
                    "bit_reproducible", dev.tauon.backend.ActiveBackend.get().deterministic(),
                    "train_images", train.n(),
                    "test_accuracy", result.testAccuracy(),
                    "train_loss", result.epochs().getLast().trainLoss(),
                    "seconds", Math.round(result.seconds() * 10) / 10.0);
            out.flush();
            spec.commandLine().getOut().println(Json.line(o));
        }
        out.flush();
        spec.commandLine().getOut().flush();
    }

    static final class DatasetConverter implements picocli.CommandLine.ITypeConverter<DatasetName> {
        @Override public DatasetName convert(String value) {
            return switch (value.toLowerCase()) {
                case "fashion-mnist", "fashion_mnist", "fashionmnist" -> DatasetName.fashion_mnist;
                case "mnist" -> DatasetName.mnist;
                default -> throw new picocli.CommandLine.TypeConversionException("unknown dataset '" + value + "' (use fashion-mnist or mnist)");
            };
        }
    }
}
