package org.skerry.server.module;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a specification a module implements, e.g. {@code @Implements(spec = "XEP-0199", version = "2.0.1")}.
 * The README feature list and the admin view are generated from these, never kept by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Implements.List.class)
public @interface Implements {
    String spec();

    String version() default "";

    String note() default "";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        Implements[] value();
    }
}
