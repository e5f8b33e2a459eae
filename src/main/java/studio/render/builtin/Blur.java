package studio.render.builtin;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** OpenCV's Gaussian blur on interleaved float pixels, in place (replicated borders). */
final class Blur {
    private Blur() {}

    /** Blurs the first {@code w*h*channels} values of {@code data} with {@code sigma} (pixels); below 0.3 does nothing. */
    static void gaussian(float[] data, int w, int h, int channels, double sigma) {
        if (sigma < 0.3 || w < 1 || h < 1) return;
        int n = w * h * channels;
        try (Mat src = new Mat(h, w, CV_32FC(channels));
                Mat dst = new Mat(h, w, CV_32FC(channels));
                Size auto = new Size(0, 0)) {
            FloatPointer in = new FloatPointer(src.data());
            in.put(data, 0, n);
            GaussianBlur(src, dst, auto, sigma);
            new FloatPointer(dst.data()).get(data, 0, n);
        }
    }
}
