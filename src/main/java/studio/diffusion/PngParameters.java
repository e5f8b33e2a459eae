package studio.diffusion;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.NodeList;
import studio.job.DiskSpace;
import studio.job.InputException;
import studio.job.OutputFile;
import studio.job.StudioException;

/**
 * PNG files carrying their generation settings in a {@code parameters} text chunk, as
 * AUTOMATIC1111 writes them (tEXt when the text is Latin-1, iTXt otherwise), so the settings can be
 * read back by this app, A1111 and other tools.
 */
public final class PngParameters {
    private static final String FORMAT = "javax_imageio_png_1.0";
    public static final String KEY = "parameters";

    private PngParameters() {}

    public static void write(BufferedImage image, String parameters, Path file) {
        write(image, parameters, file, List.of());
    }

    /** As {@link #write(BufferedImage, String, Path)}, refusing to replace any of {@code inputs}. */
    public static void write(BufferedImage image, String parameters, Path file, Collection<Path> inputs) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            IIOMetadata meta = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(parameters);
            if (latin1) {
                IIOMetadataNode text = new IIOMetadataNode("tEXt"), entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", KEY);
                entry.setAttribute("value", parameters);
                text.appendChild(entry);
                root.appendChild(text);
            } else {
                IIOMetadataNode text = new IIOMetadataNode("iTXt"), entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", KEY);
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", parameters);
                text.appendChild(entry);
                root.appendChild(text);
            }
            meta.mergeTree(FORMAT, root);
            try (OutputFile target = OutputFile.create(file, inputs)) {
                try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(target.temp()))) {
                    writer.setOutput(out);
                    writer.write(new IIOImage(image, null, meta));
                }
                target.commit();
            }
        } catch (IOException e) {
            throw new StudioException(file + ": cannot write (" + DiskSpace.explain(e) + ")", e);
        } finally {
            writer.dispose();
        }
    }

    /** The {@code parameters} text of a PNG, or null when it has none. */
    public static String read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new InputException(file, "cannot be opened");
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(in);
                IIOMetadataNode root =
                        (IIOMetadataNode) reader.getImageMetadata(0).getAsTree(FORMAT);
                for (String[] kind : new String[][] {{"tEXtEntry", "value"}, {"iTXtEntry", "text"}}) {
                    NodeList entries = root.getElementsByTagName(kind[0]);
                    for (int i = 0; i < entries.getLength(); i++) {
                        IIOMetadataNode e = (IIOMetadataNode) entries.item(i);
                        if (KEY.equals(e.getAttribute("keyword"))) return e.getAttribute(kind[1]);
                    }
                }
                return null;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new InputException(file, "not a readable PNG (" + e.getMessage() + ")");
        }
    }
}
