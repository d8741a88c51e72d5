#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#include <memory>

#include <ares.h>

#include "mockdns/resolver/resolver.hpp"

namespace mockdns::resolver {
namespace {

struct QueryState {
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<unsigned char> reply;
};

void OnReply(void* arg, int status, int, unsigned char* buffer, int length) {
  auto* state = static_cast<QueryState*>(arg);
  state->done = true;
  state->status = status;
  if (status == ARES_SUCCESS && buffer != nullptr) {
    state->reply.assign(buffer, buffer + length);
  }
}

ares_channel Channel(void* channel) {
  return static_cast<ares_channel>(channel);
}

// Runs the channel's event loop until the query finishes (c-ares enforces the timeout).
void Drive(ares_channel channel, const QueryState& state) {
  while (!state.done) {
    ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
    const int mask = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(mask, i)) {
        events |= POLLIN;
      }
      if (ARES_GETSOCK_WRITABLE(mask, i)) {
        events |= POLLOUT;
      }
      if (events != 0) {
        fds.push_back({sockets[i], events, 0});
      }
    }
    timeval max{1, 0};
    timeval wait{};
    ares_timeout(channel, &max, &wait);
    const int timeout_ms = static_cast<int>(wait.tv_sec * 1000 + wait.tv_usec / 1000);
    poll(fds.data(), fds.size(), timeout_ms);
    for (const auto& fd : fds) {
      ares_process_fd(channel,
                      (fd.revents & (POLLIN | POLLERR | POLLHUP)) ? fd.fd : ARES_SOCKET_BAD,
                      (fd.revents & POLLOUT) ? fd.fd : ARES_SOCKET_BAD);
    }
    if (fds.empty()) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
    }
  }
}

common::Result<Answer, std::string> Decode(QueryType type,
                                           const std::vector<unsigned char>& reply) {
  Answer answer;
  const int length = static_cast<int>(reply.size());
  int status = ARES_SUCCESS;
  switch (type) {
    case QueryType::kA: {
      ares_addrttl addresses[64];
      int count = 64;
      status = ares_parse_a_reply(reply.data(), length, nullptr, addresses, &count);
      for (int i = 0; status == ARES_SUCCESS && i < count; ++i) {
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addresses[i].ipaddr, text, sizeof text);
        answer.values.emplace_back(text);
      }
      break;
    }
    case QueryType::kAaaa: {
      ares_addr6ttl addresses[64];
      int count = 64;
      status = ares_parse_aaaa_reply(reply.data(), length, nullptr, addresses, &count);
      for (int i = 0; status == ARES_SUCCESS && i < count; ++i) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &addresses[i].ip6addr, text, sizeof text);
        answer.values.emplace_back(text);
      }
      break;
    }
    case QueryType::kTxt: {
      ares_txt_ext* head = nullptr;
      status = ares_parse_txt_reply_ext(reply.data(), length, &head);
      for (ares_txt_ext* it = head; status == ARES_SUCCESS && it != nullptr; it = it->next) {
        const std::string chunk(reinterpret_cast<const char*>(it->txt), it->length);
        if (it->record_start || answer.values.empty()) {
          answer.values.push_back(chunk);
        } else {
          answer.values.back() += chunk;  // next character-string of the same record
        }
      }
      ares_free_data(head);
      break;
    }
    case QueryType::kCaa: {
      ares_caa_reply* head = nullptr;
      status = ares_parse_caa_reply(reply.data(), length, &head);
      for (ares_caa_reply* it = head; status == ARES_SUCCESS && it != nullptr; it = it->next) {
        answer.values.push_back(
            std::to_string(it->critical) + " " +
            std::string(reinterpret_cast<const char*>(it->property), it->plength) + " " +
            std::string(reinterpret_cast<const char*>(it->value), it->length));
      }
      ares_free_data(head);
      break;
    }
  }
  if (status == ARES_ENODATA) {
    return answer;  // a NOERROR reply with no record of that type
  }
  if (status != ARES_SUCCESS) {
    return common::MakeErr(std::string(ares_strerror(status)));
  }
  return answer;
}

// c-ares 1.18 keeps its library state in an unsynchronised global counter, so
// ares_library_init/cleanup must not race: the library is initialised once per process, under the
// thread-safe initialisation of a function-local static, and never cleaned up (process exit does).
int CaresLibraryStatus() {
  static const int status = ares_library_init(ARES_LIB_INIT_ALL);
  return status;
}

}  // namespace

common::Result<std::unique_ptr<CaresResolver>, std::string> CaresResolver::Create(
    const CaresOptions& options) {
  if (int status = CaresLibraryStatus(); status != ARES_SUCCESS) {
    return common::MakeErr(std::string(ares_strerror(status)));
  }
  ares_options ares{};
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS;
  ares.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | (options.tcp ? ARES_FLAG_USEVC : 0);
  ares.timeout = static_cast<int>(options.timeout.count());
  ares.tries = options.tries;
  ares.lookups = const_cast<char*>("b");
  ares_channel channel = nullptr;
  if (int status = ares_init_options(&channel, &ares, mask); status != ARES_SUCCESS) {
    return common::MakeErr(std::string(ares_strerror(status)));
  }
  if (int status = ares_set_servers_ports_csv(channel, options.server.c_str());
      status != ARES_SUCCESS) {
    ares_destroy(channel);
    return common::MakeErr("DNS server \"" + options.server + "\": " + ares_strerror(status));
  }
  return std::unique_ptr<CaresResolver>(new CaresResolver(channel));
}

CaresResolver::~CaresResolver() {
  ares_destroy(Channel(channel_));
}

common::Result<Answer, std::string> CaresResolver::Lookup(const std::string& name, QueryType type) {
  static constexpr int kTypes[] = {1, 28, 16, 257};  // A, AAAA, TXT, CAA
  QueryState state;
  ares_query(Channel(channel_), name.c_str(), 1 /* C_IN */, kTypes[static_cast<int>(type)], OnReply,
             &state);
  Drive(Channel(channel_), state);
  if (state.status == ARES_ENODATA) {
    return Answer{};  // NOERROR without a record of that type: an empty answer, not a failure
  }
  if (state.status != ARES_SUCCESS) {
    return common::MakeErr(std::string(ares_strerror(state.status)));
  }
  return Decode(type, state.reply);
}

}  // namespace mockdns::resolver
