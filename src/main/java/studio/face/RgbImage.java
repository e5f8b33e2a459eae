package studio.face;

import java.awt.image.BufferedImage;
import studio.image.Images;

/** 8-bit RGB pixels, row-major, 3 bytes a pixel: the networks' input. */
record RgbImage(int width, int height, byte[] rgb) {
    static RgbImage of(BufferedImage img) {
        return new RgbImage(img.getWidth(), img.getHeight(), Images.rgbBytes(img));
    }
}
