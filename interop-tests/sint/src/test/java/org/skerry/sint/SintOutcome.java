package org.skerry.sint;

/** The result of one SINT test, with the specification it checks and whether the node answers for it. */
record SintOutcome(String test, String specification, String section, Status status, String reason) {
    enum Status { PASSED, FAILED, IMPOSSIBLE }

    boolean inScope() {
        return SintScope.inScope(specification);
    }

    /** {@code XEP-0045 §7.2.3} or {@code generic}: where to read what the test expects. */
    String reference() {
        return section.isEmpty() ? specification : specification + " §" + section;
    }
}
