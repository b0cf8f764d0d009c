package dev.tauon.data;

import dev.tauon.tensor.Rng;

import java.util.Arrays;
import java.util.Objects;

// The paper's augmentation (docs/paper.md §4) as torchvision applies it to a float tensor in [0,1]:
// RandomResizedCrop (bilinear, align_corners=False), ColorJitter (the four in random order,
// clamped after each), RandomGrayscale, RandomHorizontalFlip; the flip is done while cropping
// (it commutes with the colour ops). For 1 channel only brightness and contrast apply.
// A pure function of (src, rng): every draw sits at a fixed position of rng. No normalisation.
public record Augment(double scaleMin, double scaleMax, double ratioMin, double ratioMax, boolean crop,
                      double flip, double brightness, double contrast, double saturation, double hue,
                      double grayscale) {
    // Positions in rng: crop attempt a draws 4a .. 4a+3 (area, log-ratio, top, left).
    private static final int ATTEMPTS = 10, FLIP = 4 * ATTEMPTS, ORDER = FLIP + 1,   // ORDER .. ORDER+2
            BRIGHTNESS = ORDER + 3, CONTRAST = BRIGHTNESS + 1, SATURATION = CONTRAST + 1, HUE = SATURATION + 1, GRAY = HUE + 1;
    // ITU-R 601-2 luma, as torchvision's rgb_to_grayscale.
    private static final float LR = 0.2989f, LG = 0.587f, LB = 0.114f;

    public Augment {
        if (!(0 < scaleMin && scaleMin <= scaleMax && scaleMax <= 1)) throw bad("scale " + scaleMin + ".." + scaleMax + " must satisfy 0 < min <= max <= 1");
        if (!(0 < ratioMin && ratioMin <= ratioMax && ratioMax < Double.POSITIVE_INFINITY)) throw bad("ratio " + ratioMin + ".." + ratioMax + " must satisfy 0 < min <= max");
        if (!(0 <= flip && flip <= 1 && 0 <= grayscale && grayscale <= 1)) throw bad("flip " + flip + " and grayscale " + grayscale + " are probabilities in [0, 1]");
        if (!(0 <= brightness && 0 <= contrast && 0 <= saturation)) throw bad("brightness, contrast, saturation must be >= 0");
        if (!(0 <= hue && hue <= 0.5)) throw bad("hue " + hue + " must be in [0, 0.5]");
    }

    // RandomResizedCrop(scale 0.2-1, ratio 3/4-4/3), flip 0.5, ColorJitter(0.4, 0.4, 0.4, 0.4),
    // RandomGrayscale(0.2); saturation, hue and grayscale are 0 for one channel.
    public static Augment paper(int channels) {
        boolean rgb = channels == 3;
        if (!rgb && channels != 1) throw new IllegalArgumentException("the paper's augmentation needs 1 or 3 channels, got " + channels);
        return new Augment(0.2, 1, 3.0 / 4, 4.0 / 3, true, 0.5, 0.4, 0.4, rgb ? 0.4 : 0, rgb ? 0.4 : 0, rgb ? 0.2 : 0);
    }

    // The identity.
    public static Augment none() { return new Augment(1, 1, 1, 1, false, 0, 0, 0, 0, 0, 0); }

    // src: one image (C,H,W) at srcOff, values in [0,1] -> dst (C,H,W) at dstOff. src is not
    // modified; dst may be src at the same offset (in place, at the cost of one copy).
    public void apply(float[] src, int srcOff, float[] dst, int dstOff, int c, int h, int w, Rng rng) {
        int size = c * h * w;
        Objects.checkFromIndexSize(srcOff, size, src.length);
        Objects.checkFromIndexSize(dstOff, size, dst.length);
        boolean rgb = c == 3;
        if (c != 1 && !rgb && (contrast > 0 || saturation > 0 || hue > 0 || grayscale > 0)) {
            throw new IllegalArgumentException("colour augmentation needs 1 or 3 channels, got " + c);
        }
        if (src == dst && srcOff < dstOff + size && dstOff < srcOff + size) {
            src = Arrays.copyOfRange(src, srcOff, srcOff + size);
            srcOff = 0;
        }
        boolean mirror = flip > 0 && rng.uniform(FLIP) < flip;
        if (crop) {
            Box b = cropBox(h, w, rng);
            resizedCrop(dst, dstOff, src, srcOff, c, h, w, b.top(), b.left(), b.h(), b.w(), mirror);
        } else if (mirror) {
            for (int row = 0; row < c * h; row++) {
                for (int x = 0; x < w; x++) dst[dstOff + row * w + x] = src[srcOff + row * w + w - 1 - x];
            }
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, size);
        }
        jitter(dst, dstOff, c, h * w, rng);
        if (rgb && grayscale > 0 && rng.uniform(GRAY) < grayscale) {
            int hw = h * w;
            for (int p = dstOff; p < dstOff + hw; p++) {
                float g = LR * dst[p] + LG * dst[p + hw] + LB * dst[p + 2 * hw];
                dst[p] = g;
                dst[p + hw] = g;
                dst[p + 2 * hw] = g;
            }
        }
    }

    // A crop box inside the image, in input pixels.
    record Box(int top, int left, int h, int w) {}

    // torchvision's RandomResizedCrop.get_params: up to 10 attempts of area ~ U(scale) * H*W and
    // log aspect ~ U(log ratio), sides rounded half-even (Python's round); then the central crop
    // of the nearest allowed aspect.
    Box cropBox(int h, int w, Rng rng) {
        double area = (double) h * w, logLo = StrictMath.log(ratioMin), logHi = StrictMath.log(ratioMax);
        for (int a = 0; a < ATTEMPTS; a++) {
            double target = area * uniform(rng, 4 * a, scaleMin, scaleMax);
            double aspect = StrictMath.exp(uniform(rng, 4 * a + 1, logLo, logHi));
            int cw = (int) Math.rint(Math.sqrt(target * aspect)), ch = (int) Math.rint(Math.sqrt(target / aspect));
            if (0 < cw && cw <= w && 0 < ch && ch <= h) {
                return new Box(rng.nextInt(4 * a + 2, h - ch + 1), rng.nextInt(4 * a + 3, w - cw + 1), ch, cw);
            }
        }
        double in = (double) w / h;
        int cw = w, ch = h;
        if (in < ratioMin) ch = Math.max(1, (int) Math.rint(w / ratioMin));
        else if (in > ratioMax) cw = Math.max(1, (int) Math.rint(h * ratioMax));
        return new Box((h - ch) / 2, (w - cw) / 2, ch, cw);
    }

    // src (C,H,W) at srcOff, box (top, left, bh, bw) -> dst (C,H,W) at dstOff: the box resized to
    // HxW, bilinear with align_corners=False as torch's upsample_bilinear2d (source coordinate
    // scale * (dst + 0.5) - 0.5, clamped at 0; the last row/column repeats at the far edge).
    // mirror: output column x takes the value of column W-1-x (a horizontal flip of the result).
    static void resizedCrop(float[] dst, int dstOff, float[] src, int srcOff, int c, int h, int w,
                            int top, int left, int bh, int bw, boolean mirror) {
        float sy = (float) bh / h, sx = (float) bw / w;
        int[] x0 = new int[w], x1 = new int[w];   // per output column: the two source columns and weights
        float[] kx = new float[w], lx = new float[w];
        for (int x = 0; x < w; x++) {
            float fx = Math.max(sx * ((mirror ? w - 1 - x : x) + 0.5f) - 0.5f, 0f);
            x0[x] = (int) fx;
            x1[x] = x0[x] < bw - 1 ? x0[x] + 1 : x0[x];
            lx[x] = fx - x0[x];
            kx[x] = 1f - lx[x];
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = srcOff + ch * h * w, out = dstOff + ch * h * w;
            for (int y = 0; y < h; y++) {
                float fy = Math.max(sy * (y + 0.5f) - 0.5f, 0f);
                int y0 = (int) fy, y1 = y0 < bh - 1 ? y0 + 1 : y0;
                float ly = fy - y0, ky = 1f - ly;
                int r0 = plane + (top + y0) * w + left, r1 = plane + (top + y1) * w + left, o = out + y * w;
                for (int x = 0; x < w; x++) {
                    int a = x0[x], b = x1[x];
                    dst[o + x] = ky * (kx[x] * src[r0 + a] + lx[x] * src[r0 + b]) + ly * (kx[x] * src[r1 + a] + lx[x] * src[r1 + b]);
                }
            }
        }
    }

    // ColorJitter: the four ops in the order of a random permutation, each factor uniform in
    // [max(0, 1-x), 1+x] (hue in [-x, x]); an op whose x is 0 is skipped, as torchvision does.
    private void jitter(float[] x, int off, int c, int hw, Rng rng) {
        boolean rgb = c == 3;
        if (brightness == 0 && contrast == 0 && (!rgb || saturation == 0 && hue == 0)) return;
        int order = 0x3210;   // four 4-bit slots, permuted by Fisher-Yates at positions ORDER..ORDER+2
        for (int j = 3; j > 0; j--) {
            int r = rng.nextInt(ORDER + j - 1, j + 1), a = order >> 4 * j & 0xF, b = order >> 4 * r & 0xF;
            order = order & ~(0xF << 4 * j) & ~(0xF << 4 * r) | b << 4 * j | a << 4 * r;
        }
        for (int k = 0; k < 4; k++) {
            switch (order >> 4 * k & 0xF) {
                case 0 -> { if (brightness > 0) blend(x, off, c * hw, factor(rng, BRIGHTNESS, brightness), 0f); }
                case 1 -> { if (contrast > 0) blend(x, off, c * hw, factor(rng, CONTRAST, contrast), meanGray(x, off, c, hw)); }
                case 2 -> { if (rgb && saturation > 0) saturate(x, off, hw, factor(rng, SATURATION, saturation)); }
                default -> { if (rgb && hue > 0) hueShift(x, off, hw, (float) uniform(rng, HUE, -hue, hue)); }
            }
        }
    }

    // x = clamp(f*x + (1-f)*m, 0, 1) over n values (torchvision's _blend with a constant).
    private static void blend(float[] x, int off, int n, float f, float m) {
        float k = (1f - f) * m;
        for (int p = off; p < off + n; p++) x[p] = clamp(f * x[p] + k);
    }

    // The mean of the gray image (of the image itself for 1 channel), summed in double in order.
    private static float meanGray(float[] x, int off, int c, int hw) {
        double s = 0;
        if (c == 1) for (int p = off; p < off + hw; p++) s += x[p];
        else for (int p = off; p < off + hw; p++) s += LR * x[p] + LG * x[p + hw] + LB * x[p + 2 * hw];
        return (float) (s / hw);
    }

    // x: (3, hw) at off; each pixel blended with its own gray value.
    private static void saturate(float[] x, int off, int hw, float f) {
        float k = 1f - f;
        for (int p = off; p < off + hw; p++) {
            float g = k * (LR * x[p] + LG * x[p + hw] + LB * x[p + 2 * hw]);
            x[p] = clampScalar(f * x[p] + g);
            x[p + hw] = clampScalar(f * x[p + hw] + g);
            x[p + 2 * hw] = clampScalar(f * x[p + 2 * hw] + g);
        }
    }

    // x: (3, hw) at off; RGB -> HSV, h = (h + shift) mod 1, -> RGB, as torchvision's
    // _rgb2hsv / _hsv2rgb in float. Java's float % and floor are slow, so the two mod-1 steps
    // subtract or add 1 instead: exact and the same bits here, where the first operand lies
    // in [5/6, 2) and the second in [-0.5, 1.5) (|shift| <= 0.5).
    private static void hueShift(float[] x, int off, int hw, float shift) {
        for (int p = off; p < off + hw; p++) {
            float r = x[p], g = x[p + hw], b = x[p + 2 * hw];
            float v = max3(r, g, b), cr = v - min3(r, g, b);
            boolean grey = cr == 0f;
            float s = cr / (grey ? 1f : v), d = grey ? 1f : cr;
            float hh = v == r ? (v - b) / d - (v - g) / d : v == g ? 2f + (v - r) / d - (v - b) / d : 4f + (v - g) / d - (v - r) / d;
            hh = hh / 6f + 1f;
            hh = (hh >= 1f ? hh - 1f : hh) + shift;                  // fmod(h/6 + 1, 1) + shift
            hh = hh < 0f ? hh + 1f : hh >= 1f ? hh - 1f : hh;         // floor mod 1
            float h6 = hh * 6f;
            int i = (int) h6;                                          // floor: h6 >= 0
            float f = h6 - i;
            float pp = clampScalar(v * (1f - s)), q = clampScalar(v * (1f - s * f)), t = clampScalar(v * (1f - s * (1f - f)));
            switch (i) {
                case 0, 6 -> { r = v; g = t; b = pp; }
                case 1 -> { r = q; g = v; b = pp; }
                case 2 -> { r = pp; g = v; b = t; }
                case 3 -> { r = pp; g = q; b = v; }
                case 4 -> { r = t; g = pp; b = v; }
                default -> { r = v; g = pp; b = q; }
            }
            x[p] = r;
            x[p + hw] = g;
            x[p + 2 * hw] = b;
        }
    }

    private static float factor(Rng rng, int position, double x) { return (float) uniform(rng, position, Math.max(0, 1 - x), 1 + x); }

    private static double uniform(Rng rng, int position, double lo, double hi) { return lo + (hi - lo) * rng.uniformDouble(position); }

    // Math.min/max vectorise in blend's loop, but cost more than plain comparisons in the
    // per-pixel loops the JIT leaves scalar (saturate, hueShift), which use clampScalar, max3,
    // min3 (docs/performance.md).
    private static float clamp(float v) { return Math.min(Math.max(v, 0f), 1f); }

    private static float clampScalar(float v) { return v < 0f ? 0f : v > 1f ? 1f : v; }

    private static float max3(float a, float b, float c) { float m = a > b ? a : b; return m > c ? m : c; }

    private static float min3(float a, float b, float c) { float m = a < b ? a : b; return m < c ? m : c; }

    private static IllegalArgumentException bad(String what) { return new IllegalArgumentException("augmentation: " + what); }
}
