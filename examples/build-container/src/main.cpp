// Compiled inside the builder container, then copied into the application image.
#include <iostream>

int main() {
    std::cout << "Hello from a binary built in a builder container!" << std::endl;
    return 0;
}
