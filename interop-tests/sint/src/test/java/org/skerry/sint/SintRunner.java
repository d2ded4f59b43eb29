package org.skerry.sint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.igniterealtime.smack.inttest.AbstractSmackIntTest;
import org.igniterealtime.smack.inttest.Configuration;
import org.igniterealtime.smack.inttest.SmackIntegrationTestEnvironment;
import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework;
import org.igniterealtime.smack.inttest.TestResult;
import org.igniterealtime.smack.inttest.annotations.SmackIntegrationTest;
import org.igniterealtime.smack.inttest.annotations.SpecificationReference;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smackx.ping.PingManager;

/**
 * Runs SINT one test class at a time. SINT aborts its whole run when a test throws an unchecked exception
 * other than an assertion failure; here such an exception costs only the test that threw it: the rest of its
 * class is run again method by method, and every other class has a run of its own.
 */
final class SintRunner {
    private final Supplier<Configuration.Builder> baseConfiguration;

    /** {@code baseConfiguration} gives a fresh builder with everything but the test selection set. */
    SintRunner(Supplier<Configuration.Builder> baseConfiguration) {
        this.baseConfiguration = baseConfiguration;
    }

    /** Every concrete SINT test class in the SINT jar, in name order, found as SINT itself finds them. */
    static List<Class<? extends AbstractSmackIntTest>> discoverTestClasses() {
        List<Class<? extends AbstractSmackIntTest>> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(sintJar().toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.contains("$") || name.startsWith("org/igniterealtime/smack/inttest/unittest/")) {
                    continue;
                }
                Class<?> candidate = Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                        false, SintRunner.class.getClassLoader());
                if (AbstractSmackIntTest.class.isAssignableFrom(candidate) && !Modifier.isAbstract(candidate.getModifiers())
                        && !testMethods(candidate).isEmpty()) {
                    classes.add(candidate.asSubclass(AbstractSmackIntTest.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        classes.sort(Comparator.comparing(Class::getName));
        return classes;
    }

    private static Path sintJar() {
        try {
            return Path.of(AbstractSmackIntTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Method> testMethods(Class<?> testClass) {
        List<Method> methods = new ArrayList<>();
        for (Method method : testClass.getMethods()) {
            if (method.isAnnotationPresent(SmackIntegrationTest.class)) {
                methods.add(method);
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        return methods;
    }

    /** Runs all tests of one class; every test method of it ends up with at least one outcome. */
    List<SintOutcome> run(Class<? extends AbstractSmackIntTest> testClass) {
        Attempt whole = attempt(testClass, Set.of(testClass.getName()));
        List<SintOutcome> outcomes = new ArrayList<>(whole.outcomes());
        if (whole.abort().isEmpty()) {
            return outcomes;
        }
        Set<String> finished = whole.finishedMethods();
        for (Method method : testMethods(testClass)) {
            if (finished.contains(method.getName())) {
                continue;
            }
            Attempt single = attempt(testClass, selectorsOf(testClass, method));
            outcomes.addAll(single.outcomes());
            if (!single.finishedMethods().contains(method.getName())) {
                Throwable abort = single.abort().orElseThrow(() -> new IllegalStateException(
                        "SINT gave no result for " + testClass.getSimpleName() + "." + method.getName()));
                outcomes.add(new SintOutcome(testClass.getSimpleName() + "." + method.getName(), specificationOf(testClass),
                        sectionOf(method), SintOutcome.Status.FAILED, "aborted the SINT run: " + describe(abort)));
            }
        }
        return outcomes;
    }

    /** SINT matches a method against the class that declares it, and the class against the test class. */
    private static Set<String> selectorsOf(Class<?> testClass, Method method) {
        Set<String> selectors = new LinkedHashSet<>();
        selectors.add(testClass.getName() + "." + method.getName());
        selectors.add(method.getDeclaringClass().getName() + "." + method.getName());
        return selectors;
    }

    private Attempt attempt(Class<? extends AbstractSmackIntTest> testClass, Set<String> enabledTests) {
        Configuration configuration;
        try {
            configuration = baseConfiguration.get()
                    .setEnabledTests(String.join(",", enabledTests))
                    .addTestPackages(new String[] {testClass.getPackageName()})
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ResultKeepingFramework framework = new ResultKeepingFramework(configuration);
        Throwable abort = null;
        try {
            framework.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while SINT ran " + testClass.getSimpleName(), e);
        } catch (Exception | AssertionError e) {
            abort = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
        }
        return new Attempt(outcomesOf(testClass, framework.resultSoFar()), Optional.ofNullable(abort));
    }

    private static List<SintOutcome> outcomesOf(Class<? extends AbstractSmackIntTest> testClass,
            SmackIntegrationTestFramework.TestRunResult result) {
        List<SintOutcome> outcomes = new ArrayList<>();
        if (result == null) {
            return outcomes;
        }
        result.getSuccessfulTests().forEach(t -> outcomes.add(outcome(testClass, t, SintOutcome.Status.PASSED, "")));
        result.getFailedTests().forEach(t -> outcomes.add(outcome(testClass, t, SintOutcome.Status.FAILED, describe(t.failureReason))));
        result.getNotPossibleTests().forEach(t -> outcomes.add(
                outcome(testClass, t, SintOutcome.Status.IMPOSSIBLE, describe(t.testNotPossibleException))));
        for (Map.Entry<Class<? extends AbstractSmackIntTest>, Throwable> impossible : result.getImpossibleTestClasses().entrySet()) {
            // The whole class could not be set up (e.g. no MUC service): each of its tests is impossible.
            for (Method method : testMethods(impossible.getKey())) {
                outcomes.add(new SintOutcome(impossible.getKey().getSimpleName() + "." + method.getName(),
                        specificationOf(impossible.getKey()), sectionOf(method), SintOutcome.Status.IMPOSSIBLE,
                        describe(impossible.getValue())));
            }
        }
        return outcomes;
    }

    private static SintOutcome outcome(Class<?> testClass, TestResult result, SintOutcome.Status status, String reason) {
        Method method = result.concreteTest.getMethod();
        String test = testClass.getSimpleName() + "." + method.getName();
        List<String> variants = result.concreteTest.getSubdescriptons();
        if (!variants.isEmpty()) {
            test += " (" + String.join(", ", variants) + ")";
        }
        return new SintOutcome(test, specificationOf(testClass), sectionOf(method), status, reason);
    }

    static String specificationOf(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            SpecificationReference reference = c.getAnnotation(SpecificationReference.class);
            if (reference != null && !reference.document().isBlank()) {
                return reference.document().trim();
            }
        }
        return SintScope.GENERIC;
    }

    private static String sectionOf(Method method) {
        return method.getAnnotation(SmackIntegrationTest.class).section().trim();
    }

    /** One line: the exception and its causes, for the summary; the full trace is in SINT's log. */
    static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" / caused by ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage().replaceAll("\\s+", " ").trim());
            }
        }
        return sb.length() > 600 ? sb.substring(0, 600) + " …" : sb.toString();
    }

    private record Attempt(List<SintOutcome> outcomes, Optional<Throwable> abort) {
        Set<String> finishedMethods() {
            return outcomes.stream().map(o -> o.test().replaceFirst("^[^.]+\\.", "").replaceFirst(" \\(.*$", ""))
                    .collect(Collectors.toSet());
        }
    }

    /**
     * SINT keeps the results of a run that aborts in a protected field; this keeps them reachable. It also holds
     * the first test back until the node has seen the initial presence of SINT's three accounts.
     */
    private static final class ResultKeepingFramework extends SmackIntegrationTestFramework {
        ResultKeepingFramework(Configuration configuration) {
            super(configuration);
        }

        /**
         * Here every SINT run logs fresh accounts in right before its first test, which SINT's tests assume have
         * become available: a chat state sent to a bare JID with no available resource is rightly dropped
         * (XEP-0085 §5.6), which failed ChatStateIntegrationTest now and then. The node handles a connection's
         * stanzas in order, so a ping answered after the initial presence that login sent means it was processed.
         */
        @Override
        protected SmackIntegrationTestEnvironment prepareEnvironment() throws SmackException, IOException,
                XMPPException, InterruptedException, KeyManagementException, NoSuchAlgorithmException,
                InstantiationException, IllegalAccessException, IllegalArgumentException, InvocationTargetException {
            SmackIntegrationTestEnvironment environment = super.prepareEnvironment();
            for (XMPPConnection connection : List.of(environment.conOne, environment.conTwo, environment.conThree)) {
                if (!PingManager.getInstanceFor(connection).pingMyServer()) {
                    throw new IllegalStateException("The node did not answer a ping from " + connection.getUser());
                }
            }
            return environment;
        }

        TestRunResult resultSoFar() {
            return testRunResult;
        }
    }
}
