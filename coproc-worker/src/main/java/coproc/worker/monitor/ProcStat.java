package coproc.worker.monitor;

import java.nio.charset.StandardCharsets;

/**
 * The fields the monitor uses of a {@code /proc/<pid>/stat} line: state, command name, parent
 * pid, CPU time and start time (see proc(5)).
 *
 * @param state the state letter ({@code R}, {@code S}, {@code Z} for an ended process not
 *     yet reaped...)
 * @param command the command name, at most 15 characters
 * @param parent the parent's pid
 * @param cpuTicks user plus system CPU time, in clock ticks
 * @param startTicks when the process started, in clock ticks after boot: with the pid, it
 *     tells a process from a later one that got the same pid
 */
record ProcStat(char state, String command, long parent, long cpuTicks, long startTicks) {

    /** Clock ticks per second of {@code /proc} times ({@code USER_HZ}), 100 on Linux. */
    static final double TICKS_PER_SECOND = 100.0;

    /** Whether the process has ended (a zombie not yet reaped, or dead). */
    boolean ended() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /**
     * Parses a stat line.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static ProcStat parse(byte[] bytes) {
        String line = new String(bytes, StandardCharsets.US_ASCII);
        // The command may hold spaces and parentheses: it ends at the last ')'.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) {
            throw new IllegalArgumentException("Not a /proc/<pid>/stat line: " + line);
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 20) {
            throw new IllegalArgumentException("Too few fields in /proc/<pid>/stat: " + line);
        }
        // fields[0] is field 3 of proc(5): state; 4 ppid; 14 utime; 15 stime; 22 starttime.
        return new ProcStat(fields[0].charAt(0), line.substring(open + 1, close), Long.parseLong(fields[1]),
                Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long.parseLong(fields[19]));
    }
}
