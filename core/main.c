#include <stdio.h>
int main(void) { puts("certbot 5.6.0"); return 0; }
