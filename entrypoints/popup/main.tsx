import { ChatHome } from '@/components/chat-home';
import { mount } from '@/components/mount';

mount(<ChatHome variant="popup" />);
