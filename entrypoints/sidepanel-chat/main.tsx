import { mountChatPage } from '@/components/chat-page';

mountChatPage('sidepanel');
