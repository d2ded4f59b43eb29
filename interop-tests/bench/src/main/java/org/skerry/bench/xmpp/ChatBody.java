package org.skerry.bench.xmpp;

/**
 * The body of a load message: {@code step:flag:sequence:sentNanos}, where flag is 'm' for a message sent inside a
 * step's measuring window and 'w' otherwise (warm-up), and sentNanos is {@link System#nanoTime()} when it was
 * written (the same JVM reads it on arrival).
 */
public record ChatBody(int step, boolean measured, long sequence, long sentNanos) {

    public String text() { return step + ":" + (measured ? 'm' : 'w') + ":" + sequence + ":" + sentNanos; }

    /** The parsed body, or null when the text is not a load message. */
    public static ChatBody parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 4 || parts[1].length() != 1) {
            return null;
        }
        try {
            return new ChatBody(Integer.parseInt(parts[0]), parts[1].charAt(0) == 'm', Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
