// Options of a sanitizer build of the init (scripts/test-sanitizers.sh). The
// runtime starts the init with an empty environment, so ASAN_OPTIONS never
// reaches it: the options are compiled in. Empty in a normal build.
//
// No leak check: the init ends in execve, or exits on an error from inside
// the container's namespaces, where LeakSanitizer cannot stop it (its
// ptrace of a non-dumpable process needs CAP_SYS_PTRACE in the host's user
// namespace, and its /proc may be the container's or none). A report aborts
// the init, so the runtime sees it die rather than a plain exit 1.
#if defined(__SANITIZE_ADDRESS__)
#define MINIRUNC_INIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MINIRUNC_INIT_ASAN 1
#endif
#endif

#ifdef MINIRUNC_INIT_ASAN
extern "C" const char* __asan_default_options() {
    return "detect_leaks=0:abort_on_error=1";
}
extern "C" const char* __ubsan_default_options() {
    return "print_stacktrace=1:halt_on_error=1:abort_on_error=1";
}
#endif
