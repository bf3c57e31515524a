/* The C++ library planted_cxx_host loads: exceptions, strings and iostream, everything freed. */
#include <iostream>
#include <stdexcept>
#include <string>

extern "C" int planted_cxx_plugin_run() {
    std::string *text = new std::string(40, 'p');
    try {
        throw std::runtime_error(*text);
    } catch (const std::exception &e) {
        std::cout << "planted_cxx_plugin: caught " << std::string(e.what()).size() << " characters" << std::endl;
    }
    delete text;
    return 0;
}
