package coproc.worker.internal;

import java.util.List;
import java.util.stream.Collectors;

/** Quotes words for a POSIX shell, as a remote command line that ssh hands to one. */
final class Shell {

    private Shell() {
    }

    /** One word, in single quotes: {@code it's} becomes {@code 'it'\''s'}. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Words, each quoted, separated by spaces. */
    static String quote(List<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
