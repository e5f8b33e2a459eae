package studio.face;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import studio.image.Images;
import studio.job.InputException;

/**
 * Loads a portrait as SadTalker's {@code cv2.imread} does: 8-bit BGR, EXIF orientation applied,
 * greyscale replicated, alpha dropped, CMYK converted and 16-bit scaled down to 8 bits (all by
 * OpenCV's decoders). The bytes are read in Java so any path works.
 */
public final class Portrait {
    private Portrait() {}

    /** The most pixels a picture may have (64 megapixels, e.g. 8000 × 8000): a portrait needs far fewer. */
    public static final long MAX_PIXELS = 64L << 20;

    /** The largest picture file read (256 MiB). */
    public static final long MAX_FILE_BYTES = 256L << 20;

    /** The picture as TYPE_3BYTE_BGR, upright; InputException "FILE: not an image" otherwise. */
    public static BufferedImage load(Path file) {
        byte[] bytes;
        try {
            if (!Files.exists(file)) throw new InputException(file, "file not found");
            if (!Files.isRegularFile(file))
                throw new InputException(file, "is not a regular file (a folder, device or pipe)");
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES)
                throw new InputException(
                        file,
                        "the file is " + (size >> 20) + " MiB, over the " + (MAX_FILE_BYTES >> 20)
                                + " MiB limit for pictures");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found");
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage());
        }
        if (bytes.length == 0) throw new InputException(file, "not an image (the file is empty)");
        long pixels = ImageHeader.pixels(bytes);
        if (pixels > MAX_PIXELS)
            throw new InputException(
                    file,
                    String.format(
                            "the picture declares %,d pixels, over the %d-megapixel limit (scale it down)",
                            pixels, MAX_PIXELS >> 20));
        try (Mat encoded = new Mat(1, bytes.length, CV_8UC1)) {
            encoded.data().put(bytes);
            try (Mat decoded = imdecode(encoded, IMREAD_COLOR)) {
                if (decoded == null || decoded.empty()) throw new InputException(file, "not an image");
                return Images.toImage(decoded);
            }
        }
    }
}
