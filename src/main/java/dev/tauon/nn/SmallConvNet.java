package dev.tauon.nn;

import dev.tauon.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

// The compact CNN for 1×28×28 or 3×32×32 input, 128-d features:
// conv3×3(C→32)-BN-ReLU, conv3×3(32→32)-BN-ReLU, maxpool 2, conv3×3(32→64)-BN-ReLU,
// conv3×3(64→64)-BN-ReLU, maxpool 2, conv3×3(64→128)-BN-ReLU, global average pool.
public final class SmallConvNet {
    public static final int FEATURES = 128;

    private SmallConvNet() {}

    public static Sequential create(int inChannels, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        int[][] convs = {{inChannels, 32}, {32, 32}, {32, 64}, {64, 64}, {64, 128}};
        for (int i = 0; i < convs.length; i++) {
            layers.add(new Conv2d(convs[i][0], convs[i][1], 3, 1, 1, rng.split(i)));
            layers.add(new BatchNorm(convs[i][1]));
            layers.add(new ReLU());
            if (i == 1 || i == 3) layers.add(new MaxPool2d(2));
        }
        layers.add(new GlobalAvgPool());
        return new Sequential(layers);
    }
}
