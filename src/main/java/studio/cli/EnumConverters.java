package studio.cli;

import java.util.Arrays;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import studio.face.Preprocess;
import studio.pipeline.RenderOptions;

/** Lower-case option values for the render enums, with the valid choices in the error message. */
final class EnumConverters {
    private EnumConverters() {}

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of "
                    + Arrays.toString(Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase())
                            .toArray()));
        }
    }

    static final class PreprocessConverter implements ITypeConverter<Preprocess> {
        public Preprocess convert(String v) {
            return parse(Preprocess.class, v);
        }
    }

    static final class EnhancerConverter implements ITypeConverter<RenderOptions.Enhancer> {
        public RenderOptions.Enhancer convert(String v) {
            return parse(RenderOptions.Enhancer.class, v);
        }
    }

    static final class EngineConverter implements ITypeConverter<RenderOptions.EngineChoice> {
        public RenderOptions.EngineChoice convert(String v) {
            return parse(RenderOptions.EngineChoice.class, v);
        }
    }
}
