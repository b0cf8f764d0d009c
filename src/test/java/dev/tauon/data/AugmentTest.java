package dev.tauon.data;

import dev.tauon.kernel.Parallel;
import dev.tauon.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class AugmentTest {
    static final Augment CROP_ONLY = new Augment(1, 1, 1, 1, true, 0, 0, 0, 0, 0, 0);
    static final Augment FLIP_ONLY = new Augment(1, 1, 1, 1, false, 1, 0, 0, 0, 0, 0);

    @AfterEach void restore() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] random(int n, long seed) {
        float[] x = new float[n];
        Rng.seeded(seed).fillUniform(x, 0, n, 0, 1);
        return x;
    }

    static float[] apply(Augment a, float[] src, int c, int h, int w, Rng rng) {
        float[] dst = new float[src.length];
        a.apply(src, 0, dst, 0, c, h, w, rng);
        return dst;
    }

    @Test void aCropOfScale1AndTheImagesAspectIsTheIdentity() {
        int[][] shapes = {{1, 28, 28}, {3, 32, 32}, {3, 13, 13}, {1, 12, 20}};
        for (int[] s : shapes) {
            double ratio = (double) s[2] / s[1];
            Augment a = new Augment(1, 1, ratio, ratio, true, 0, 0, 0, 0, 0, 0);
            float[] x = random(s[0] * s[1] * s[2], 1);
            for (int k = 0; k < 20; k++) assertArrayEquals(x, apply(a, x, s[0], s[1], s[2], Rng.seeded(k)), Arrays.toString(s));
        }
        assertEquals(new Augment.Box(0, 0, 28, 28), CROP_ONLY.cropBox(28, 28, Rng.seeded(3)));
    }

    @Test void twoFlipsAreTheIdentityAndOneMirrorsEachRow() {
        int c = 3, h = 5, w = 7;
        float[] x = random(c * h * w, 2), once = apply(FLIP_ONLY, x, c, h, w, Rng.seeded(1));
        for (int row = 0; row < c * h; row++) for (int j = 0; j < w; j++) assertEquals(x[row * w + w - 1 - j], once[row * w + j]);
        assertArrayEquals(x, apply(FLIP_ONLY, once, c, h, w, Rng.seeded(2)));
    }

    @Test void aFlippedCropIsTheMirrorOfTheSameCropUnflipped() {
        Augment flipped = new Augment(0.2, 1, 0.75, 4 / 3.0, true, 1, 0, 0, 0, 0, 0);
        Augment plain = new Augment(0.2, 1, 0.75, 4 / 3.0, true, 0, 0, 0, 0, 0, 0);
        int c = 2, h = 9, w = 11;
        float[] x = random(c * h * w, 3);
        for (int k = 0; k < 20; k++) {
            float[] f = apply(flipped, x, c, h, w, Rng.seeded(k)), p = apply(plain, x, c, h, w, Rng.seeded(k));
            for (int row = 0; row < c * h; row++) for (int j = 0; j < w; j++) assertEquals(p[row * w + w - 1 - j], f[row * w + j]);
        }
    }

    @Test void zeroJitterChangesNothingAndOneChannelIgnoresSaturationHueAndGrayscale() {
        float[] rgb = random(3 * 8 * 8, 4), gray = random(64, 5);
        for (int k = 0; k < 20; k++) {
            assertArrayEquals(rgb, apply(Augment.none(), rgb, 3, 8, 8, Rng.seeded(k)));
            assertArrayEquals(gray, apply(Augment.none(), gray, 1, 8, 8, Rng.seeded(k)));
        }
        Augment colourOnly = new Augment(1, 1, 1, 1, false, 0, 0, 0, 0.9, 0.5, 1);
        for (int k = 0; k < 20; k++) assertArrayEquals(gray, apply(colourOnly, gray, 1, 8, 8, Rng.seeded(k)));
        assertFalse(Arrays.equals(rgb, apply(colourOnly, rgb, 3, 8, 8, Rng.seeded(0))), "but they change RGB");
    }

    @Test void valuesStayInTheUnitIntervalOnRandomImages() {
        for (int c : new int[] {1, 3}) {
            Augment strong = new Augment(0.05, 1, 0.3, 3, true, 0.5, 0.9, 0.9, c == 3 ? 0.9 : 0, c == 3 ? 0.5 : 0, c == 3 ? 0.2 : 0);
            for (Augment a : new Augment[] {Augment.paper(c), strong}) {
                for (int k = 0; k < 200; k++) {
                    float[] y = apply(a, random(c * 16 * 16, 100 + k), c, 16, 16, Rng.seeded(k));
                    for (float v : y) assertTrue(v >= 0f && v <= 1f, "value " + v + " for " + a);
                }
            }
        }
    }

    @Test void theSameRngGivesTheSamePixelsAndADifferentRngDifferentOnes() {
        for (int c : new int[] {1, 3}) {
            float[] x = random(c * 32 * 32, 6);
            Rng base = Rng.seeded(42);
            float[] a = apply(Augment.paper(c), x, c, 32, 32, base.split(0).split(7).split(0));
            float[] again = apply(Augment.paper(c), x, c, 32, 32, base.split(0).split(7).split(0));
            assertArrayEquals(a, again);
            assertFalse(Arrays.equals(a, apply(Augment.paper(c), x, c, 32, 32, base.split(0).split(7).split(1))), "other view");
            assertFalse(Arrays.equals(a, apply(Augment.paper(c), x, c, 32, 32, base.split(1).split(7).split(0))), "other epoch");
        }
    }

    @Test void srcIsUntouchedAndInPlaceGivesTheSameResult() {
        float[] x = random(3 * 10 * 10, 7), copy = x.clone();
        float[] y = apply(Augment.paper(3), x, 3, 10, 10, Rng.seeded(9));
        assertArrayEquals(copy, x);
        float[] batch = new float[5 + 300];
        System.arraycopy(x, 0, batch, 5, 300);
        Augment.paper(3).apply(batch, 5, batch, 5, 3, 10, 10, Rng.seeded(9));
        assertArrayEquals(y, Arrays.copyOfRange(batch, 5, 305));
    }

    @Test void aBatchInParallelGivesTheSameBitsAsSequentially() {
        int n = 64, c = 3, h = 32, w = 32, s = c * h * w;
        float[] x = random(n * s, 8), seq = new float[n * s], par = new float[n * s];
        Rng stream = Rng.seeded(5).split(3);
        Augment a = Augment.paper(3);
        Parallel.setThreads(1);
        for (int i = 0; i < n; i++) a.apply(x, i * s, seq, i * s, c, h, w, stream.split(i).split(0));
        Parallel.setThreads(4);
        Parallel.forRange(n, 4, (lo, hi) -> { for (int i = lo; i < hi; i++) a.apply(x, i * s, par, i * s, c, h, w, stream.split(i).split(0)); });
        assertArrayEquals(seq, par);
    }

    @Test void bilinearMatchesTorchsAlignCornersFalseOnAHandCase() {
        // F.interpolate([[0,1],[2,3]], size=4, mode='bilinear', align_corners=False): the 2x2 box
        // at (1,1) of a 4x4 image, resized to 4x4.
        float[] src = new float[16];
        src[5] = 0; src[6] = 1; src[9] = 2; src[10] = 3;
        float[] dst = new float[16];
        Augment.resizedCrop(dst, 0, src, 0, 1, 4, 4, 1, 1, 2, 2, false);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3}, dst);
    }

    @Test void bilinearCropOfAGradientIsTheGradientAtTheClampedSourceCoordinates() {
        // value(ch, r, x) = 100ch + 2r + 3x is linear, so bilinear interpolation reproduces it at
        // the source coordinate scale*(dst + 0.5) - 0.5, clamped to [0, box side - 1].
        int c = 2, h = 20, w = 24, top = 3, left = 5, bh = 10, bw = 7;
        float[] src = new float[c * h * w], dst = new float[c * h * w], mirrored = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) for (int r = 0; r < h; r++) for (int x = 0; x < w; x++) src[(ch * h + r) * w + x] = 100 * ch + 2 * r + 3 * x;
        Augment.resizedCrop(dst, 0, src, 0, c, h, w, top, left, bh, bw, false);
        Augment.resizedCrop(mirrored, 0, src, 0, c, h, w, top, left, bh, bw, true);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                double sy = Math.min(Math.max((double) bh / h * (y + 0.5) - 0.5, 0), bh - 1);
                for (int x = 0; x < w; x++) {
                    double sx = Math.min(Math.max((double) bw / w * (x + 0.5) - 0.5, 0), bw - 1);
                    double expected = 100 * ch + 2 * (top + sy) + 3 * (left + sx);
                    assertEquals(expected, dst[(ch * h + y) * w + x], 1e-4, "ch " + ch + " y " + y + " x " + x);
                    assertEquals(dst[(ch * h + y) * w + x], mirrored[(ch * h + y) * w + w - 1 - x]);
                }
            }
        }
    }

    @Test void cropBoxesFollowTorchvisionsSamplingAndFallback() {
        Augment paper = Augment.paper(3);
        double sumArea = 0;
        int n = 2000;
        for (int k = 0; k < n; k++) {
            Augment.Box b = paper.cropBox(32, 32, Rng.seeded(k));
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.h() <= 32 && b.left() + b.w() <= 32, b.toString());
            double area = b.h() * b.w() / 1024.0, aspect = (double) b.w() / b.h();
            assertTrue(area > 0.17 && area <= 1, b.toString());
            assertTrue(aspect > 0.7 && aspect < 1.43, b.toString());
            sumArea += area;
        }
        // the mean area: 0.551 for torchvision's algorithm (a 200k-sample Python simulation);
        // less than uniform's 0.6 since big crops of uneven aspect fail to fit. 4 sd here.
        assertEquals(0.551, sumArea / n, 0.02);
        // no attempt fits, so the central crop of the nearest allowed aspect
        assertEquals(new Augment.Box(8, 0, 16, 32), new Augment(1, 1, 2, 2, true, 0, 0, 0, 0, 0, 0).cropBox(32, 32, Rng.seeded(1)));
        assertEquals(new Augment.Box(0, 8, 32, 16), new Augment(1, 1, 0.5, 0.5, true, 0, 0, 0, 0, 0, 0).cropBox(32, 32, Rng.seeded(1)));
        assertEquals(new Augment.Box(0, 9, 10, 2), new Augment(1, 1, 0.1, 0.2, true, 0, 0, 0, 0, 0, 0).cropBox(10, 20, Rng.seeded(1)));
    }

    @Test void theFlipHappensAboutHalfTheTime() {
        Augment half = new Augment(1, 1, 1, 1, false, 0.5, 0, 0, 0, 0, 0);
        float[] x = random(12, 10);
        int flipped = 0, n = 4000;
        for (int k = 0; k < n; k++) if (!Arrays.equals(x, apply(half, x, 1, 3, 4, Rng.seeded(k)))) flipped++;
        assertEquals(0.5, flipped / (double) n, 0.04);   // 5 standard deviations
    }

    @Test void brightnessScalesContrastBlendsWithTheMeanGrayAndBothVaryPerRng() {
        float[] x = random(64, 11);
        for (int i = 0; i < 64; i++) x[i] = 0.25f + 0.45f * x[i];   // in [0.25, 0.7]: factors up to 1.4 never clamp
        Augment bright = new Augment(1, 1, 1, 1, false, 0, 0.4, 0, 0, 0, 0);
        Augment contrast = new Augment(1, 1, 1, 1, false, 0, 0, 0.4, 0, 0, 0);
        double mean = 0;
        for (float v : x) mean += v;
        mean /= 64;
        int far = 0;   // the pixel furthest from the mean fixes the contrast factor best
        for (int i = 0; i < 64; i++) if (Math.abs(x[i] - mean) > Math.abs(x[far] - mean)) far = i;
        double minF = 2, maxF = 0;
        for (int k = 0; k < 50; k++) {
            float[] b = apply(bright, x, 1, 8, 8, Rng.seeded(k)), c = apply(contrast, x, 1, 8, 8, Rng.seeded(k));
            double f = b[far] / x[far], g = (c[far] - mean) / (x[far] - mean);
            for (int i = 0; i < 64; i++) {
                assertEquals(f * x[i], b[i], 1e-6);
                assertEquals(mean + g * (x[i] - mean), c[i], 1e-6);
            }
            assertTrue(f >= 0.6 && f <= 1.4 && g >= 0.6 && g <= 1.4, f + " " + g);
            minF = Math.min(minF, f);
            maxF = Math.max(maxF, f);
        }
        assertTrue(minF < 0.8 && maxF > 1.2, "factors spread over [0.6, 1.4]: " + minF + ".." + maxF);
        // RGB contrast blends with the mean of the gray image, not each channel's own mean
        float[] rgb = {0.2f, 0.4f, 0.6f, 0.1f, 0.1f, 0.1f};   // (3, 1, 2): red 0.2/0.4, green 0.6/0.1, blue 0.1/0.1
        float[] y = apply(contrast, rgb, 3, 1, 2, Rng.seeded(0));
        double gray = (0.2989 * (0.2 + 0.4) + 0.587 * (0.6 + 0.1) + 0.114 * 0.2) / 2;
        double g = (y[0] - gray) / (rgb[0] - gray);
        for (int i = 0; i < 6; i++) assertEquals(gray + g * (rgb[i] - gray), y[i], 1e-5);
    }

    @Test void grayscaleWithP1IsTheLumaInEveryChannel() {
        Augment gray = new Augment(1, 1, 1, 1, false, 0, 0, 0, 0, 0, 1);
        float[] x = random(3 * 4, 12), y = apply(gray, x, 3, 2, 2, Rng.seeded(0));
        for (int p = 0; p < 4; p++) {
            float l = 0.2989f * x[p] + 0.587f * x[4 + p] + 0.114f * x[8 + p];
            assertEquals(l, y[p]);
            assertEquals(l, y[4 + p]);
            assertEquals(l, y[8 + p]);
        }
    }

    @Test void hueRotatesTheHueAndKeepsValueAndSaturation() {
        Augment hue = new Augment(1, 1, 1, 1, false, 0, 0, 0, 0, 0.5, 0);
        // pixels: red, green, a dark orange, gray
        float[] x = {1, 0, 0.6f, 0.3f, 0, 1, 0.3f, 0.3f, 0, 0, 0, 0.3f};
        for (int k = 0; k < 30; k++) {
            float[] y = apply(hue, x, 3, 1, 4, Rng.seeded(k));
            double shift = hueOf(y, 0);   // red has hue 0, so its new hue is the shift
            assertEquals(mod1(1 / 3.0 + shift), hueOf(y, 1), 1e-5, "green moves by the same shift");
            assertEquals(mod1(1 / 12.0 + shift), hueOf(y, 2), 1e-5, "orange moves by the same shift");
            for (int p = 0; p < 3; p++) {
                assertEquals(Math.max(x[p], Math.max(x[4 + p], x[8 + p])), Math.max(y[p], Math.max(y[4 + p], y[8 + p])), 1e-6, "value");
                assertEquals(Math.min(x[p], Math.min(x[4 + p], x[8 + p])), Math.min(y[p], Math.min(y[4 + p], y[8 + p])), 1e-6, "max * (1 - s)");
            }
            assertEquals(0.3f, y[3]);
            assertEquals(0.3f, y[7]);
            assertEquals(0.3f, y[11], "gray has no hue");
        }
    }

    @Test void hueShiftsLieInMinusXToX() {
        Augment hue = new Augment(1, 1, 1, 1, false, 0, 0, 0, 0, 0.1, 0);
        float[] red = {1, 0, 0};
        double lo = 1, hi = -1;
        for (int k = 0; k < 100; k++) {
            double h = hueOf3(apply(hue, red, 3, 1, 1, Rng.seeded(k)), 0, 1);
            double shift = h >= 0.5 ? h - 1 : h;
            assertTrue(Math.abs(shift) <= 0.1 + 1e-6, "shift " + shift);
            lo = Math.min(lo, shift);
            hi = Math.max(hi, shift);
        }
        assertTrue(lo < -0.07 && hi > 0.07, lo + ".." + hi);
    }

    @Test void saturationBlendsEachPixelWithItsOwnGray() {
        Augment sat = new Augment(1, 1, 1, 1, false, 0, 0, 0, 0.4, 0, 0);
        int hw = 16;
        float[] x = random(3 * hw, 13);
        for (int i = 0; i < x.length; i++) x[i] = 0.3f + 0.4f * x[i];   // factors up to 1.4 never clamp
        double[] gray = new double[hw];
        int far = 0;   // the channel value furthest from its pixel's gray fixes the factor best
        for (int p = 0; p < hw; p++) {
            gray[p] = 0.2989 * x[p] + 0.587 * x[hw + p] + 0.114 * x[2 * hw + p];
            for (int ch = 0; ch < 3; ch++) if (Math.abs(x[ch * hw + p] - gray[p]) > Math.abs(x[far] - gray[far % hw])) far = ch * hw + p;
        }
        double minF = 2, maxF = 0;
        for (int k = 0; k < 30; k++) {
            float[] y = apply(sat, x, 3, 4, 4, Rng.seeded(k));
            double f = (y[far] - gray[far % hw]) / (x[far] - gray[far % hw]);
            for (int p = 0; p < hw; p++) {
                for (int ch = 0; ch < 3; ch++) assertEquals(f * x[ch * hw + p] + (1 - f) * gray[p], y[ch * hw + p], 1e-5);
            }
            assertTrue(f >= 0.6 - 1e-4 && f <= 1.4 + 1e-4, "factor " + f);
            minF = Math.min(minF, f);
            maxF = Math.max(maxF, f);
        }
        assertTrue(minF < 0.8 && maxF > 1.2, minF + ".." + maxF);
    }

    static double mod1(double v) { return v - Math.floor(v); }

    static double hueOf(float[] y, int p) { return hueOf3(y, p, 4); }

    // The hue in [0, 1) of pixel p of a (3, hw) image.
    static double hueOf3(float[] y, int p, int hw) {
        double r = y[p], g = y[hw + p], b = y[2 * hw + p], max = Math.max(r, Math.max(g, b)), d = max - Math.min(r, Math.min(g, b));
        double h = max == r ? (g - b) / d : max == g ? 2 + (b - r) / d : 4 + (r - g) / d;
        return mod1(h / 6);
    }

    @Test void theRecordRejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Augment(0, 1, 1, 1, true, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augment(0.5, 0.4, 1, 1, true, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augment(0.2, 1, 2, 1, true, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augment(0.2, 1, 1, 1, true, 1.5, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augment(0.2, 1, 1, 1, true, 0, 0, 0, 0, 0.6, 0));
        assertThrows(IllegalArgumentException.class, () -> Augment.paper(2));
        assertThrows(IllegalArgumentException.class, () -> Augment.paper(3).apply(new float[8], 0, new float[8], 0, 2, 2, 2, Rng.seeded(0)));
        Augment p = Augment.paper(1);
        assertEquals(0.2, p.scaleMin());
        assertEquals(0.4, p.brightness());
        assertEquals(0, p.saturation());
        assertEquals(0, p.hue());
        assertEquals(0, p.grayscale());
        assertEquals(0.4, Augment.paper(3).hue());
        assertEquals(0.2, Augment.paper(3).grayscale());
    }
}
