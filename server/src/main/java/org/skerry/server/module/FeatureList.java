package org.skerry.server.module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The specifications the installed modules implement, read from their {@link Implements} annotations. The
 * README's feature table is this list rendered as Markdown, and a test keeps the two equal.
 */
public final class FeatureList {
    private FeatureList() {}

    /** One implemented specification and the module that implements it. */
    public record Feature(String spec, String version, String note, String module) {}

    /** Core classes that implement specifications themselves (the stream layer is not a module). */
    private static final List<String> CORE = List.of("org.skerry.server.stream.ClientStream");

    public static List<Feature> installed() {
        List<Feature> out = new ArrayList<>();
        for (String core : CORE) {
            try {
                Class<?> type = Class.forName(core, false, FeatureList.class.getClassLoader());
                for (Implements spec : type.getAnnotationsByType(Implements.class)) {
                    out.add(new Feature(spec.spec(), spec.version(), spec.note(), "core (" + type.getSimpleName() + ")"));
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        for (ServiceLoader.Provider<Module> provider : ServiceLoader.load(Module.class, FeatureList.class.getClassLoader())
                .stream().toList()) {
            Class<? extends Module> type = provider.type();
            for (Implements spec : type.getAnnotationsByType(Implements.class)) {
                out.add(new Feature(spec.spec(), spec.version(), spec.note(), type.getSimpleName()));
            }
        }
        out.sort(Comparator.comparing((Feature f) -> sortKey(f.spec())).thenComparing(Feature::module));
        return out;
    }

    /** RFCs first, then XEPs by number. */
    private static String sortKey(String spec) {
        return (spec.startsWith("RFC") ? "0" : "1") + spec;
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder("| specification | version | module | notes |\n| --- | --- | --- | --- |\n");
        for (Feature f : installed()) {
            sb.append("| ").append(f.spec()).append(" | ").append(f.version()).append(" | ").append(f.module())
                    .append(" | ").append(f.note()).append(" |\n");
        }
        return sb.toString();
    }
}
