package studio.face;

/**
 * Where a preprocessed crop comes from in the original picture, in original pixels: everything
 * needed to paste an animated crop back (SadTalker's {@code crop_info}).
 *
 * @param mode         the preprocessing mode that produced the crop
 * @param size         side of the square crop image (256 or 512)
 * @param imageWidth   width of the original picture
 * @param imageHeight  height of the original picture
 * @param outerX       SadTalker's {@code crop} box (the face quad plus a border, clipped to the
 *                     picture): left; the extcrop/extfull region
 * @param outerY       top of the outer box
 * @param outerWidth   width of the outer box
 * @param outerHeight  height of the outer box
 * @param regionX      left of the rectangle the crop image shows (the face quad for crop/full,
 *                     the outer box for extcrop/extfull, the whole picture for resize)
 * @param regionY      top of that rectangle
 * @param regionWidth  width of that rectangle
 * @param regionHeight height of that rectangle
 */
public record CropGeometry(
        Preprocess mode,
        int size,
        int imageWidth,
        int imageHeight,
        int outerX,
        int outerY,
        int outerWidth,
        int outerHeight,
        int regionX,
        int regionY,
        int regionWidth,
        int regionHeight) {

    /** Maps a point of the crop image (0..size) to original picture pixels. */
    public double[] toImage(double cropX, double cropY) {
        return new double[] {regionX + cropX * regionWidth / size, regionY + cropY * regionHeight / size};
    }

    /** Maps a point of the original picture to crop image pixels. */
    public double[] toCrop(double imageX, double imageY) {
        return new double[] {(imageX - regionX) * size / regionWidth, (imageY - regionY) * size / regionHeight};
    }
}
