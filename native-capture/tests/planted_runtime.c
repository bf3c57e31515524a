/*
 * A program that mostly sleeps and leans on the C runtime (stdio on stdin and stdout, a file, the locale, a
 * user lookup, the time zone, strerror), allocates in a constructor before main, and has two planted leaks:
 * leak_one (a 123-byte block) and leak_copy (an 8-byte strdup, made inside libc). tests/planted.sh checks that
 * the exit report holds exactly these, that the first CPU sample (start-up) is not counted, and that
 * RESMON_SUPPRESS and RESMON_SUPPRESS_FILE take leaks out.
 *
 * usage: planted_runtime [thread]   (thread: a thread is still running at exit, so glibc's own clean-up cannot
 *                                    run and only the suppression list keeps its buffers out of the report;
 *                                    the locale and the user lookup are then skipped: their state stays)
 */
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void *volatile kept[3];

/* the program's own start-up, before main: part of the baseline, not a leak */
__attribute__((constructor)) static void startup_cache(void) {
    kept[2] = malloc(77);
}

__attribute__((noinline)) void leak_one(void) {
    kept[0] = malloc(123);
}

__attribute__((noinline)) void leak_copy(void) {
    kept[1] = strdup("planted");
}

static void *keep_running(void *arg) {
    pause();
    return arg;
}

__attribute__((noinline)) void running_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, keep_running, NULL);
}

int main(int argc, char **argv) {
    int threaded = argc > 1 && strcmp(argv[1], "thread") == 0;
    if (threaded) {
        running_thread();
    } else {
        setlocale(LC_ALL, "");
        struct passwd *pw = getpwuid(getuid());
        printf("user %s\n", pw != NULL ? pw->pw_name : "?");
        time_t now = time(NULL);
        char when[64];
        strftime(when, sizeof when, "%c", localtime(&now));
        printf("%s, %s\n", when, strerror(ENOENT));
    }
    char line[100];
    int got = fgets(line, sizeof line, stdin) != NULL;
    char path[] = "/tmp/planted_runtime_XXXXXX";
    FILE *f = fdopen(mkstemp(path), "w");
    if (f != NULL) {
        fprintf(f, "%d\n", 42);
        fclose(f);
    }
    unlink(path);
    for (int i = 0; i < 6; i++) {
        usleep(100 * 1000); /* mostly asleep: a few monitor cycles with next to no CPU */
    }
    /* after the monitor's last cycle: call sites that only the exit's settling names */
    leak_one();
    leak_copy();
    printf("read %s\n", got ? "a line" : "nothing");
    fflush(stdout);
    return 0;
}
