package studio.weights;

import java.nio.file.Path;
import studio.job.InputException;

/**
 * The released checkpoints the code loads, by role. Only the role ids live here: each file name
 * and official address comes from the bundled model catalog ({@code checkpoints/catalog.json},
 * {@link ModelCatalog#bundledCatalog()}) at run time, so the catalog is their one home.
 */
public enum Checkpoint {
    /** SadTalker's networks for render size 256 (audio2exp, audio2pose, face_3drecon, generator, kp_extractor). */
    SADTALKER_256("sadtalker-256"),
    /** The same networks for render size 512. */
    SADTALKER_512("sadtalker-512"),
    /** The face renderer's mapping net for crop / resize (70 coefficients). */
    MAPPING_CROP("mapping-crop"),
    /** The face renderer's mapping net for full / extfull and still mode (73 coefficients). */
    MAPPING_FULL("mapping-full"),
    /** GFPGAN v1.4, the face restorer of {@code --enhancer gfpgan}. */
    GFPGAN("gfpgan"),
    /** facexlib's RetinaFace face detector. */
    RETINAFACE("retinaface"),
    /** facexlib's ParseNet face parser (the paste-back mask). */
    PARSENET("parsenet"),
    /** facexlib's WFLW face-landmark model. */
    ALIGNMENT_WFLW("alignment-wflw");

    private final String role;

    Checkpoint(String role) {
        this.role = role;
    }

    /** The SadTalker checkpoint for a render size (256 or 512). */
    public static Checkpoint sadTalker(int size) {
        return switch (size) {
            case 256 -> SADTALKER_256;
            case 512 -> SADTALKER_512;
            default -> throw new InputException("size must be 256 or 512, not " + size);
        };
    }

    /** The mapping-net checkpoint: full / extfull (73 coefficients) or crop / resize (70). */
    public static Checkpoint mapping(boolean full) {
        return full ? MAPPING_FULL : MAPPING_CROP;
    }

    /** The role id of its catalog entry. */
    public String role() {
        return role;
    }

    /** Its entry in the bundled catalog. */
    public ModelCatalog.Entry entry() {
        return ModelCatalog.bundledCatalog().entry(role);
    }

    /** The released file name. */
    public String file() {
        return entry().file();
    }

    /** The official download address. */
    public String url() {
        return entry().url();
    }

    /** Where it goes in a checkpoint folder. */
    public Path in(Path dir) {
        return dir.resolve(file());
    }

    /** For messages: "get it from URL or run: studio models download FILE". */
    public String howToGet() {
        ModelCatalog.Entry e = entry();
        return "get it from " + e.url() + " or run: studio models download " + e.file();
    }
}
