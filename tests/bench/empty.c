/* An empty program: built once against static glibc and once without any
 * libc, the difference is what C library start-up costs every static binary
 * (here mostly CPUID, which traps to the hypervisor in a VM). */
#ifdef NO_LIBC
void _start(void) { __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall"); }
#else
int main(void) { return 0; }
#endif
