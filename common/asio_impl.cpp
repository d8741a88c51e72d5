// Asio, Asio SSL and Beast are compiled here once (BOOST_*_SEPARATE_COMPILATION); other translation
// units include only their declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
