package dev.tauon.experiment.report;

// The per-run numbers of metrics.json the report tabulates, by their metrics.json key
// (docs/run-format.md). Accuracies are fractions in [0,1]; the report prints them in %.
public enum Metric {
    KNN("knn_accuracy", "kNN acc. (%)"),
    LINEAR("linear_accuracy", "linear acc. (%)"),
    UNIFORMITY("uniformity", "uniformity (−L_unif)"),
    TOLERANCE("tolerance", "tolerance"),
    ALIGNMENT("alignment", "alignment"),
    POS("pos_similarity", "mean s_ii"),
    NEG1("neg1_similarity", "mean s_n1"),
    NEG10("neg10_similarity", "mean s_n10"),
    ENTROPY("hardness_entropy", "H(r_i) (nats)"),
    SECONDS("seconds", "seconds"),
    TRAIN_SECONDS("train_seconds", "training seconds"),
    VIEWS_PER_S("views_per_s", "views/s");

    public final String key;
    public final String label;

    Metric(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public boolean isAccuracy() { return this == KNN || this == LINEAR; }
}
