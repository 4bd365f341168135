// The init's image, carried inside the runtime so that a lone copy of
// minirunc still runs containers (see init_image.cpp). CMake passes the path
// of the minirunc-init it just linked.
#ifndef MINIRUNC_INIT_IMAGE
#error "MINIRUNC_INIT_IMAGE must name the minirunc-init to carry"
#endif
        .section .minirunc_init,"a",@progbits
        .balign 16
        .globl minirunc_init_image_start
        .type minirunc_init_image_start, @object
minirunc_init_image_start:
        .incbin MINIRUNC_INIT_IMAGE
        .globl minirunc_init_image_end
minirunc_init_image_end:
        .section .note.GNU-stack,"",@progbits
